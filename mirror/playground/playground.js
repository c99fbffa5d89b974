// Opens GraphiQL on the local API with the dev API key and example operations filled in.
(async function start() {
  const config = await (await fetch("/config.json")).json();
  const headers = { "x-api-key": config.apiKey };
  if (config.devIdentityHeader) headers[config.devIdentityHeader] = "Ada";

  const upcoming = `# Upcoming events with their hosts and newest comments.
# Writes act as the user named in the ${config.devIdentityHeader || "Authorization"} header (see Headers below).
query UpcomingEvents($limit: Int, $nextToken: String) {
  listEvents(limit: $limit, nextToken: $nextToken) {
    items {
      id
      title
      venue
      startsAt
      capacity
      attendeeCount
      host { id displayName }
      comments(limit: 3) { items { content author { displayName } } nextToken }
    }
    nextToken
  }
}

mutation CreateEvent {
  createEvent(input: {
    title: "Board games night"
    venue: "The Library, room 2"
    startsAt: "2031-02-01T18:00:00Z"
    endsAt: "2031-02-01T21:00:00Z"
    capacity: 12
  }) { id title version }
}

mutation Rsvp($eventId: ID!) {
  rsvp(eventId: $eventId) { id attendeeCount capacity }
}
`;
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: config.graphqlUrl }),
      defaultQuery: upcoming,
      defaultHeaders: JSON.stringify(headers, null, 2),
      defaultVariables: JSON.stringify({ limit: 5 }, null, 2),
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: "headers",
    }),
  );
})();
