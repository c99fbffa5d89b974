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

/** auth.js currentUser(): the signed-in visitor. */
interface User {
  id: string;
  username: string;
  displayName: string;
  groups: string[];
  isAdmin: boolean;
}
/** What permissions.js decides about: an event (its host) and a comment (its author). */
interface Subject {
  event?: { host?: { id: string } | null } | null;
  comment?: { author?: { id: string } | null } | null;
}
type GatherApi = ReturnType<typeof import('../single_page_app/operations.js').createApi>;
type Auth = typeof import('../single_page_app/auth.js');
/** router.js: the view a path names, with the event's id where it has one. */
interface Route {
  name: string;
  id: string | null;
}
/** app.js: what a view is given to draw itself, besides the element it draws in. */
interface ViewContext extends Route {
  config: Config;
  api: GatherApi;
  auth: Auth;
  profile: ReturnType<typeof import('../single_page_app/profile.js').createProfile>;
  navigate: typeof import('../single_page_app/router.js').navigate;
  refresh: () => void;
  /** views/account.js: signs in (or up) in a dialog; the user, or null when they cannot or would not. */
  requestSignIn: (start?: 'sign-in' | 'sign-up') => Promise<User | null>;
  signal: AbortSignal;
  /** A message the previous page left for this one's status area. */
  flash: string | null;
}
interface ShowOptions {
  initial: boolean;
  refresh?: boolean;
}
/** dom.js: a button offered with a notice. */
interface Action {
  label: string;
  onclick: () => unknown;
}
/** An input field the API names in its errors (config.json's errorFields) and the page labels. */
type InputField =
  | keyof CreateEventInput
  | Exclude<keyof import('./generated/graphql').CommentOnEventMutationVariables, 'eventId'>
  | keyof import('./generated/graphql').SetDisplayNameMutationVariables;
/** realtime.js: one subscription, restarted on every new connection. */
interface Subscription {
  query: string;
  variables: unknown;
  next: (payload: any) => void;
  error?: (errors: unknown[]) => void;
  started: boolean;
  refused: boolean;
}
/** auth.js: the tokens kept in localStorage. */
interface Session {
  clientId: string;
  idToken: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}
/** auth.js: what Cognito asks before signing in (answered with answerChallenge). */
interface Challenge {
  name: string;
  session: string;
  username: string;
}
type SignInStep = { user: User | null; challenge: null } | { user: null; challenge: Challenge };
/** format.js: what seats are counted from. */
interface Seats {
  capacity: number;
  attendeeCount: number;
}
/** A mutation config.json's permissions rule on. */
type Permission = keyof Config['permissions'];
type LiveFragment = import('./generated/graphql').LiveFragment;
/** An event as its page reads it (getEvent), kept current by live updates. */
type EventDetail = NonNullable<import('./generated/graphql').GetEventQuery['getEvent']>;
type CommentFragment = import('./generated/graphql').CommentFragment;
/** What the event page's parts (views/event/) share; views/event.js makes it and wires the parts together. */
interface EventPage {
  ctx: ViewContext;
  /** The event as shown: merge() keeps it current. */
  event: EventDetail;
  /** Deleted while the page was open. */
  gone: boolean;
  /** Whether the visitor holds a seat: Event.hasSeat (null when signed out), read with the event, after signing in
   * or out, and from the visitor's RSVP answers; the page keeps no record. */
  going: boolean;
  /** The visitor's place in the event's waitlist, 1 being next (Event.waitlistPosition); null when not waiting. Read
   * as `going` is. */
  waitlistPosition: number | null;
  /** Tells screen readers (seats, comments). */
  announce: (text: string) => void;
  /** Shows what changed; own: the visitor's own action, which says so itself (no announcement of seats). */
  showChanges: (changed: LiveField[], options?: { own?: boolean }) => void;
  /** The seats and what the visitor may do: RSVP, edit, delete. */
  renderSeatsAndActions: () => void;
  /** Asks the API what a live update could not tell: whether the event still exists, and as what. */
  checkNow: () => Promise<void>;
  /** Closes the page for a deleted event. */
  deleted: () => void;
}
/** A field onEventChanged carries (operations.js's Live fragment), less its id. */
type LiveField = Exclude<keyof LiveFragment, 'id'>;
/** The fields of T that may be null. */
type NullableField<T> = { [K in keyof T]: null extends T[K] ? K : never }[keyof T];
/** A field whose length config.json limits. */
type TextField = keyof Config['limits']['textMaxLength'];
/** The event form's values as its controls hold them. */
type EventFormValues = Record<keyof CreateEventInput, string>;
/** The event form's fields that break a rule, each with what the API would say. */
type FieldErrors = Partial<Record<keyof CreateEventInput, string>>;
/** An event with its details (operations.js Detail): what the event form edits. */
type DetailFragment = import('./generated/graphql').DetailFragment;
/** A control of the event form. */
type FormControl = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
/** One of the event form's fields (its own, or an extra one by any name): its control's tag and attributes, label and
 * hint. */
interface FormField<Name extends string = keyof CreateEventInput> {
  name: Name;
  label: string;
  tag: 'input' | 'textarea' | 'select';
  attrs: Record<string, string | number | boolean | undefined>;
  hint?: string | null;
}
/** An event as lists show it (operations.js Summary): the list, the account page's seats. */
type SummaryFragment = import('./generated/graphql').SummaryFragment;
