// Types the SPA's modules name in their JSDoc, for `make typecheck-spa` alone: nothing here is served.
// The API's types come from generated/ (graphql-codegen over schema.graphql and operations.js, config.json's shape
// from spa_contract/config_json.py), written by the make target, so they follow every save.

type Api = import('./generated/graphql').Operations;
type CreateEventInput = import('./generated/graphql').CreateEventInput;
type UpdateEventInput = import('./generated/graphql').UpdateEventInput;
type Config = import('./generated/config').ClientConfig;

/** The name a document gives its operation: "query ListEvents($limit: Int) {…}" → "ListEvents". */
type OperationName<D extends string> = D extends `${string} ${infer Name}(${string}`
  ? Name
  : D extends `${string} ${infer Name} {${string}`
    ? Name
    : never;
/** {result, variables} of the operation a document names; a document codegen did not read has none. */
type Operation<D extends string> = Api[OperationName<D> & keyof Api];

interface RequestOptions {
  signal?: AbortSignal;
}
/** graphql.js: sends a document, resolves with its `data`. */
type ApiRequest = (query: string, variables?: object, options?: RequestOptions) => Promise<any>;
/** The same, typed by the operation the document names. */
type Send = <D extends string>(
  document: D,
  variables: Operation<D>['variables'],
  options?: RequestOptions,
) => Promise<Operation<D>['result']>;

/** A subscription as realtime.js sends it; `result` is never set, it types what `next` receives. */
interface Live<O extends { result: unknown; variables: unknown }> {
  query: string;
  variables: O['variables'];
  result?: O['result'];
}
