// Every GraphQL operation the SPA sends, in one place (fields as in /schema.graphql).

export const EVENTS_PAGE = 10;
export const COMMENTS_PAGE = 10;

const SUMMARY = 'id title venue startsAt endsAt capacity attendeeCount host { id displayName }';
const COMMENT = 'id eventId content createdAt author { id displayName }';
const COMMENTS = `items { ${COMMENT} } nextToken`;
const DETAIL = `${SUMMARY} description version createdAt updatedAt`;
const SEATS = 'id capacity attendeeCount version';

const LIST_EVENTS = `query ListEvents($limit: Int, $nextToken: String) {
  listEvents(limit: $limit, nextToken: $nextToken) { items { ${SUMMARY} } nextToken }
}`;
const GET_EVENT = `query GetEvent($id: ID!, $limit: Int) {
  getEvent(id: $id) { ${DETAIL} comments(limit: $limit) { ${COMMENTS} } }
}`;
const MORE_COMMENTS = `query MoreComments($id: ID!, $limit: Int, $nextToken: String) {
  getEvent(id: $id) { id comments(limit: $limit, nextToken: $nextToken) { ${COMMENTS} } }
}`;
const CREATE_EVENT = `mutation CreateEvent($input: CreateEventInput!) { createEvent(input: $input) { ${DETAIL} } }`;
const UPDATE_EVENT = `mutation UpdateEvent($input: UpdateEventInput!) { updateEvent(input: $input) { ${DETAIL} } }`;
const RSVP = `mutation Rsvp($eventId: ID!) { rsvp(eventId: $eventId) { ${SEATS} } }`;
const CANCEL_RSVP = `mutation CancelRsvp($eventId: ID!) { cancelRsvp(eventId: $eventId) { ${SEATS} } }`;
const COMMENT_ON_EVENT = `mutation CommentOnEvent($eventId: ID!, $content: String!) {
  commentOnEvent(eventId: $eventId, content: $content) { ${COMMENT} }
}`;

/** request: the function from graphql.js createClient(). Each call takes an optional {signal}. */
export function createApi(request) {
  return {
    listEvents: (nextToken = null, options) =>
      request(LIST_EVENTS, { limit: EVENTS_PAGE, nextToken }, options).then((data) => data.listEvents),
    getEvent: (id, options) =>
      request(GET_EVENT, { id, limit: COMMENTS_PAGE }, options).then((data) => data.getEvent),
    moreComments: (id, nextToken, options) =>
      request(MORE_COMMENTS, { id, limit: COMMENTS_PAGE, nextToken }, options).then((data) => data.getEvent?.comments),
    createEvent: (input, options) => request(CREATE_EVENT, { input }, options).then((data) => data.createEvent),
    updateEvent: (input, options) => request(UPDATE_EVENT, { input }, options).then((data) => data.updateEvent),
    rsvp: (eventId, options) => request(RSVP, { eventId }, options).then((data) => data.rsvp),
    cancelRsvp: (eventId, options) => request(CANCEL_RSVP, { eventId }, options).then((data) => data.cancelRsvp),
    commentOnEvent: (eventId, content, options) =>
      request(COMMENT_ON_EVENT, { eventId, content }, options).then((data) => data.commentOnEvent),
  };
}
