// Every GraphQL operation the SPA sends, in one place (fields as in /schema.graphql).
//
// Live updates (AppSync's @aws_subscribe) carry the fields the *mutation* selected, and reach a subscriber only when
// its arguments equal the same-named fields of the mutation's result. So every mutation that feeds onEventChanged
// selects LIVE (with id), and commentOnEvent and deleteComment select COMMENT (with eventId): exactly what the event
// page shows live. hasSeat is the caller's own: read from queries and the caller's own RSVP answers, never live.

export const EVENTS_PAGE = 10;
export const COMMENTS_PAGE = 10;

const SUMMARY = 'id title venue startsAt endsAt timeZone capacity attendeeCount hasSeat host { id displayName }';
const COMMENT = 'id eventId content createdAt author { id displayName }';
const COMMENTS = `items { ${COMMENT} } nextToken`;
const DETAIL = `${SUMMARY} description version createdAt updatedAt`;
/** What onEventChanged delivers and the event page updates: the mutations below select all of it. */
const LIVE = 'id title description venue startsAt endsAt timeZone capacity attendeeCount version';

const LIST_EVENTS = `query ListEvents($limit: Int, $nextToken: String) {
  listEvents(limit: $limit, nextToken: $nextToken) { items { ${SUMMARY} } nextToken }
}`;
const GET_EVENT = `query GetEvent($id: ID!, $limit: Int) {
  getEvent(id: $id) { ${DETAIL} comments(limit: $limit) { ${COMMENTS} } }
}`;
const EVENT_NOW = `query EventNow($id: ID!) { getEvent(id: $id) { ${LIVE} hasSeat } }`;
const MORE_COMMENTS = `query MoreComments($id: ID!, $limit: Int, $nextToken: String) {
  getEvent(id: $id) { id comments(limit: $limit, nextToken: $nextToken) { ${COMMENTS} } }
}`;
const CREATE_EVENT = `mutation CreateEvent($input: CreateEventInput!) { createEvent(input: $input) { ${DETAIL} } }`;
const UPDATE_EVENT = `mutation UpdateEvent($input: UpdateEventInput!) { updateEvent(input: $input) { ${DETAIL} } }`;
const DELETE_EVENT = `mutation DeleteEvent($id: ID!) { deleteEvent(id: $id) { ${LIVE} } }`;
const RSVP = `mutation Rsvp($eventId: ID!) { rsvp(eventId: $eventId) { ${LIVE} hasSeat } }`;
const CANCEL_RSVP = `mutation CancelRsvp($eventId: ID!) { cancelRsvp(eventId: $eventId) { ${LIVE} hasSeat } }`;
const COMMENT_ON_EVENT = `mutation CommentOnEvent($eventId: ID!, $content: String!) {
  commentOnEvent(eventId: $eventId, content: $content) { ${COMMENT} }
}`;
const DELETE_COMMENT = `mutation DeleteComment($eventId: ID!, $id: ID!) {
  deleteComment(eventId: $eventId, id: $id) { ${COMMENT} }
}`;
const ME = 'query Me { me { id displayName } }';
const SET_DISPLAY_NAME = `mutation SetDisplayName($displayName: String!) {
  setDisplayName(displayName: $displayName) { id displayName }
}`;
const MY_RSVPS = `query MyRsvps($limit: Int, $nextToken: String) {
  myRsvps(limit: $limit, nextToken: $nextToken) { items { ${SUMMARY} } nextToken }
}`;

/** Subscriptions, for realtime.js: {query, variables, field}. */
export const live = {
  eventChanged: (id) => ({
    query: `subscription OnEventChanged($id: ID!) { onEventChanged(id: $id) { ${LIVE} } }`,
    variables: { id },
    field: 'onEventChanged',
  }),
  commentAdded: (eventId) => ({
    query: `subscription OnCommentAdded($eventId: ID!) { onCommentAdded(eventId: $eventId) { ${COMMENT} } }`,
    variables: { eventId },
    field: 'onCommentAdded',
  }),
  commentDeleted: (eventId) => ({
    query: `subscription OnCommentDeleted($eventId: ID!) { onCommentDeleted(eventId: $eventId) { id eventId } }`,
    variables: { eventId },
    field: 'onCommentDeleted',
  }),
};

/** request: the function from graphql.js createClient(). Each call takes an optional {signal}. */
export function createApi(request) {
  return {
    listEvents: (nextToken = null, options) =>
      request(LIST_EVENTS, { limit: EVENTS_PAGE, nextToken }, options).then((data) => data.listEvents),
    getEvent: (id, options) =>
      request(GET_EVENT, { id, limit: COMMENTS_PAGE }, options).then((data) => data.getEvent),
    /** The live fields only (null once the event is deleted): what a live update could not tell. */
    eventNow: (id, options) => request(EVENT_NOW, { id }, options).then((data) => data.getEvent),
    moreComments: (id, nextToken, options) =>
      request(MORE_COMMENTS, { id, limit: COMMENTS_PAGE, nextToken }, options).then((data) => data.getEvent?.comments),
    createEvent: (input, options) => request(CREATE_EVENT, { input }, options).then((data) => data.createEvent),
    updateEvent: (input, options) => request(UPDATE_EVENT, { input }, options).then((data) => data.updateEvent),
    deleteEvent: (id, options) => request(DELETE_EVENT, { id }, options).then((data) => data.deleteEvent),
    rsvp: (eventId, options) => request(RSVP, { eventId }, options).then((data) => data.rsvp),
    cancelRsvp: (eventId, options) => request(CANCEL_RSVP, { eventId }, options).then((data) => data.cancelRsvp),
    commentOnEvent: (eventId, content, options) =>
      request(COMMENT_ON_EVENT, { eventId, content }, options).then((data) => data.commentOnEvent),
    deleteComment: (eventId, id, options) =>
      request(DELETE_COMMENT, { eventId, id }, options).then((data) => data.deleteComment),
    me: (options) => request(ME, {}, options).then((data) => data.me),
    setDisplayName: (displayName, options) =>
      request(SET_DISPLAY_NAME, { displayName }, options).then((data) => data.setDisplayName),
    /** The caller's upcoming seats, soonest first. */
    myRsvps: (options) => request(MY_RSVPS, { limit: EVENTS_PAGE }, options).then((data) => data.myRsvps),
  };
}
