// Every GraphQL operation the SPA sends, in one place. `make typecheck-spa` checks each document marked GraphQL
// against /schema.graphql, and types what each method resolves with.
//
// Live updates (AppSync's @aws_subscribe) carry the fields the *mutation* selected, and reach a subscriber only when
// its arguments equal the same-named fields of the mutation's result. So every mutation that feeds onEventChanged
// selects LIVE (with id), and commentOnEvent and deleteComment select COMMENT (with eventId): exactly what the event
// page shows live. hasSeat is the caller's own: read from queries and the caller's own RSVP answers, never live.

export const EVENTS_PAGE = 10;
export const COMMENTS_PAGE = 10;
export const ATTENDEES_PAGE = 24;

// Each selection is written once, as a fragment, and inlined where it is spread before a document is sent: AppSync
// then sees plain selections, as its subscriptions and a resolver's selectionSetGraphQL expect.
const SUMMARY = /* GraphQL */ `fragment Summary on Event {
  id title venue startsAt endsAt timeZone capacity attendeeCount hasSeat host { id displayName }
}`;
const COMMENT = /* GraphQL */ `fragment Comment on Comment { id eventId content createdAt author { id displayName } }`;
const COMMENTS = /* GraphQL */ `fragment Comments on CommentConnection { items { ...Comment } nextToken }`;
const DETAIL = /* GraphQL */ `fragment Detail on Event {
  ...Summary description version createdAt updatedAt waitlistCount
}`;
/** What onEventChanged delivers and the event page updates: the mutations below select all of it. */
const LIVE = /* GraphQL */ `fragment Live on Event {
  id title description venue startsAt endsAt timeZone capacity attendeeCount version
  waitlistCount
}`;

const LIST_EVENTS = /* GraphQL */ `query ListEvents($limit: Int, $nextToken: String) {
  listEvents(limit: $limit, nextToken: $nextToken) { items { ...Summary } nextToken }
}`;
const GET_EVENT = /* GraphQL */ `query GetEvent($id: ID!, $limit: Int) {
  getEvent(id: $id) { ...Detail waitlistPosition comments(limit: $limit) { ...Comments } }
}`;
const EVENT_NOW = /* GraphQL */ `query EventNow($id: ID!) { getEvent(id: $id) { ...Live hasSeat waitlistPosition } }`;
const MORE_COMMENTS = /* GraphQL */ `query MoreComments($id: ID!, $limit: Int, $nextToken: String) {
  getEvent(id: $id) { id comments(limit: $limit, nextToken: $nextToken) { ...Comments } }
}`;
/** Who is going: for signed-in callers only (the API refuses names to the API key). */
const ATTENDEES = /* GraphQL */ `query Attendees($id: ID!, $limit: Int, $nextToken: String) {
  getEvent(id: $id) { id attendees(limit: $limit, nextToken: $nextToken) { items { id displayName } nextToken } }
}`;
const CREATE_EVENT = /* GraphQL */ `mutation CreateEvent($input: CreateEventInput!) {
  createEvent(input: $input) { ...Detail }
}`;
const UPDATE_EVENT = /* GraphQL */ `mutation UpdateEvent($input: UpdateEventInput!) {
  updateEvent(input: $input) { ...Detail }
}`;
const DELETE_EVENT = /* GraphQL */ `mutation DeleteEvent($id: ID!) { deleteEvent(id: $id) { ...Live } }`;
const RSVP = /* GraphQL */ `mutation Rsvp($eventId: ID!) { rsvp(eventId: $eventId) { ...Live hasSeat } }`;
const CANCEL_RSVP = /* GraphQL */ `mutation CancelRsvp($eventId: ID!) {
  cancelRsvp(eventId: $eventId) { ...Live hasSeat }
}`;
/** The caller's place in line (waitlistPosition) is theirs alone, read from these answers, never live. */
const JOIN_WAITLIST = /* GraphQL */ `mutation JoinWaitlist($eventId: ID!) {
  joinWaitlist(eventId: $eventId) { ...Live hasSeat waitlistPosition }
}`;
const LEAVE_WAITLIST = /* GraphQL */ `mutation LeaveWaitlist($eventId: ID!) {
  leaveWaitlist(eventId: $eventId) { ...Live hasSeat waitlistPosition }
}`;
const COMMENT_ON_EVENT = /* GraphQL */ `mutation CommentOnEvent($eventId: ID!, $content: String!) {
  commentOnEvent(eventId: $eventId, content: $content) { ...Comment }
}`;
const DELETE_COMMENT = /* GraphQL */ `mutation DeleteComment($eventId: ID!, $id: ID!) {
  deleteComment(eventId: $eventId, id: $id) { ...Comment }
}`;
const ME = /* GraphQL */ `query Me { me { id displayName } }`;
const SET_DISPLAY_NAME = /* GraphQL */ `mutation SetDisplayName($displayName: String!) {
  setDisplayName(displayName: $displayName) { id displayName }
}`;
const MY_RSVPS = /* GraphQL */ `query MyRsvps($limit: Int, $nextToken: String) {
  myRsvps(limit: $limit, nextToken: $nextToken) { items { ...Summary } nextToken }
}`;
const ON_EVENT_CHANGED = /* GraphQL */ `subscription OnEventChanged($id: ID!) { onEventChanged(id: $id) { ...Live } }`;
const ON_COMMENT_ADDED = /* GraphQL */ `subscription OnCommentAdded($eventId: ID!) {
  onCommentAdded(eventId: $eventId) { ...Comment }
}`;
const ON_COMMENT_DELETED = /* GraphQL */ `subscription OnCommentDeleted($eventId: ID!) {
  onCommentDeleted(eventId: $eventId) { id eventId }
}`;

/** Fragment name → its selection. */
const SELECTIONS = new Map(
  [SUMMARY, COMMENT, COMMENTS, DETAIL, LIVE].map((fragment) => {
    const [, name, selection] = /^fragment (\w+) on \w+ \{([^]*)\}$/.exec(fragment) ?? [];
    return [name, selection.trim()];
  }),
);

/**
 * The fields a fragment selects at its top level, its spreads' included: Live's are what live updates carry.
 * @param {string} name
 */
export function fieldsOf(name) {
  /** @type {string[]} */
  const fields = [];
  let depth = 0;
  for (const token of SELECTIONS.get(name)?.match(/[{}()]|\.\.\.\w+|\w+/g) ?? []) {
    if (token === '{' || token === '(') depth += 1;
    else if (token === '}' || token === ')') depth -= 1;
    else if (depth === 0) fields.push(...(token.startsWith('...') ? fieldsOf(token.slice(3)) : [token]));
  }
  return fields;
}

/**
 * The document as sent: every fragment spread replaced by the fragment's selection.
 * @type {<D extends string>(document: D) => D}
 */
const inline = (document) =>
  /** @type {any} */ (document.replace(/\.\.\.(\w+)/g, (spread, name) => inline(SELECTIONS.get(name) ?? spread)));

/**
 * A subscription for realtime.js: the document as sent, with its variables.
 * @type {<D extends string>(document: D, variables: Operation<D>['variables']) => Live<Operation<D>>}
 */
const subscription = (document, variables) => ({ query: inline(document), variables });

export const live = {
  /** @param {string} id */
  eventChanged: (id) => subscription(ON_EVENT_CHANGED, { id }),
  /** @param {string} eventId */
  commentAdded: (eventId) => subscription(ON_COMMENT_ADDED, { eventId }),
  /** @param {string} eventId */
  commentDeleted: (eventId) => subscription(ON_COMMENT_DELETED, { eventId }),
};

/**
 * The API, one method per operation, each resolving with its root field's value.
 * @param {ApiRequest} request graphql.js createClient()'s function
 */
export function createApi(request) {
  /** @type {Send} */
  const send = (document, variables, options) => request(inline(document), variables, options);
  return {
    /** @param {string | null} nextToken @param {RequestOptions} [options] */
    listEvents: (nextToken = null, options) =>
      send(LIST_EVENTS, { limit: EVENTS_PAGE, nextToken }, options).then((data) => data.listEvents),
    /** @param {string} id @param {RequestOptions} [options] */
    getEvent: (id, options) => send(GET_EVENT, { id, limit: COMMENTS_PAGE }, options).then((data) => data.getEvent),
    /**
     * The live fields only (null once the event is deleted): what a live update could not tell.
     * @param {string} id @param {RequestOptions} [options]
     */
    eventNow: (id, options) => send(EVENT_NOW, { id }, options).then((data) => data.getEvent),
    /** @param {string} id @param {string | null} nextToken @param {RequestOptions} [options] */
    moreComments: (id, nextToken, options) =>
      send(MORE_COMMENTS, { id, limit: COMMENTS_PAGE, nextToken }, options).then((data) => data.getEvent?.comments),
    /** @param {string} id @param {string | null} nextToken @param {RequestOptions} [options] */
    attendees: (id, nextToken, options) =>
      send(ATTENDEES, { id, limit: ATTENDEES_PAGE, nextToken }, options).then((data) => data.getEvent?.attendees),
    /** @param {CreateEventInput} input @param {RequestOptions} [options] */
    createEvent: (input, options) => send(CREATE_EVENT, { input }, options).then((data) => data.createEvent),
    /** @param {UpdateEventInput} input @param {RequestOptions} [options] */
    updateEvent: (input, options) => send(UPDATE_EVENT, { input }, options).then((data) => data.updateEvent),
    /** @param {string} id @param {RequestOptions} [options] */
    deleteEvent: (id, options) => send(DELETE_EVENT, { id }, options).then((data) => data.deleteEvent),
    /** @param {string} eventId @param {RequestOptions} [options] */
    rsvp: (eventId, options) => send(RSVP, { eventId }, options).then((data) => data.rsvp),
    /** @param {string} eventId @param {RequestOptions} [options] */
    cancelRsvp: (eventId, options) => send(CANCEL_RSVP, { eventId }, options).then((data) => data.cancelRsvp),
    /** @param {string} eventId @param {RequestOptions} [options] */
    joinWaitlist: (eventId, options) => send(JOIN_WAITLIST, { eventId }, options).then((data) => data.joinWaitlist),
    /** @param {string} eventId @param {RequestOptions} [options] */
    leaveWaitlist: (eventId, options) => send(LEAVE_WAITLIST, { eventId }, options).then((data) => data.leaveWaitlist),
    /** @param {string} eventId @param {string} content @param {RequestOptions} [options] */
    commentOnEvent: (eventId, content, options) =>
      send(COMMENT_ON_EVENT, { eventId, content }, options).then((data) => data.commentOnEvent),
    /** @param {string} eventId @param {string} id @param {RequestOptions} [options] */
    deleteComment: (eventId, id, options) =>
      send(DELETE_COMMENT, { eventId, id }, options).then((data) => data.deleteComment),
    /** @param {RequestOptions} [options] */
    me: (options) => send(ME, {}, options).then((data) => data.me),
    /** @param {string} displayName @param {RequestOptions} [options] */
    setDisplayName: (displayName, options) =>
      send(SET_DISPLAY_NAME, { displayName }, options).then((data) => data.setDisplayName),
    /**
     * The caller's upcoming seats, soonest first.
     * @param {RequestOptions} [options]
     */
    myRsvps: (options) => send(MY_RSVPS, { limit: EVENTS_PAGE }, options).then((data) => data.myRsvps),
  };
}
