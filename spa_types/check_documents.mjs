// The SPA's GraphQL documents (template literals marked /* GraphQL */) against schema.graphql, as AppSync reads it.
// Each error names the file and line it is on: graphql-codegen, which runs next, counts lines within a document.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gqlPluckFromCodeStringSync } from '@graphql-tools/graphql-tag-pluck';
import { GraphQLError, buildSchema, concatAST, parse, validate } from 'graphql';

const SPA = 'single_page_app';
const read = (path) => readFileSync(path, 'utf8');
const schema = buildSchema(read('appsync_builtins.graphql') + read('schema.graphql'));

/** "file:line:column: message" for each place an error points at, counted in the file. */
function report(error) {
  const places = (error.nodes ?? []).map((node) => [node.loc.source, node.loc.startToken]);
  if (!places.length && error.source) places.push([error.source, error.locations?.[0]]);
  return places.map(([source, { line, column }]) => {
    const offset = source.locationOffset;
    const at = `${source.name}:${line + offset.line - 1}:${line === 1 ? column + offset.column - 1 : column}`;
    return `${at}: ${error.message}`;
  });
}

const documents = [];
const errors = [];
for (const file of readdirSync(SPA, { recursive: true }).filter((name) => name.endsWith('.js')).sort()) {
  for (const source of gqlPluckFromCodeStringSync(join(SPA, file), read(join(SPA, file)))) {
    try {
      documents.push(parse(source));
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      errors.push(error);
    }
  }
}
if (!errors.length) errors.push(...validate(schema, concatAST(documents)));
for (const error of errors) console.error(report(error).join('\n'));
process.exitCode = errors.length ? 1 : 0;
