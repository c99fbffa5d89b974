// GraphiQL on the local API: reads with the dev API key; "Sign in" acts as a user of the local
// Cognito pool (the same InitiateAuth call the SPA makes) so mutations and `me` work too.
(async function start() {
  const config = await (await fetch("/config.json")).json();
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  const form = document.getElementById("sign-in");
  const who = document.getElementById("who");
  const status = document.getElementById("sign-in-status");
  const signOut = document.getElementById("sign-out");

  const examples = `# Upcoming events with their hosts and newest comments (the API key is enough to read).
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

# Writes need a signed-in user: sign in above with a demo user printed by \`gather dev\`.
query Me { me { id displayName } }

mutation CreateEvent {
  createEvent(input: {
    title: "Board games night"
    venue: "The Library, room 2"
    startsAt: "2031-02-01T18:00:00Z"
    endsAt: "2031-02-01T21:00:00Z"
    capacity: 12
  }) { id title version }
}

# Run this, then comment on the event from another tab or the SPA.
subscription NewComments($eventId: ID!) {
  onCommentAdded(eventId: $eventId) { id content author { displayName } }
}
`;

  function render(headers) {
    const fetcher = GraphiQL.createFetcher({
      url: config.graphqlUrl,
      // graphql-transport-ws, which the mirror serves on the API's own path (realtimeUrl speaks AppSync's protocol).
      subscriptionUrl: config.graphqlUrl.replace(/^http/, 'ws'),
      headers,
      wsConnectionParams: headers,
    });
    root.render(
      React.createElement(GraphiQL, {
        key: JSON.stringify(headers), // a new identity starts a fresh editor with its headers
        fetcher,
        defaultQuery: examples,
        defaultHeaders: JSON.stringify(headers, null, 2),
        defaultVariables: JSON.stringify({ limit: 5 }, null, 2),
        shouldPersistHeaders: false,
        defaultEditorToolsVisibility: "headers",
      }),
    );
  }

  async function initiateAuth(username, password) {
    const response = await fetch(config.auth.cognitoEndpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
      },
      body: JSON.stringify({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: config.auth.userPoolClientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || body.__type || "Sign-in failed");
    return body.AuthenticationResult.IdToken;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    const username = form.elements.username.value.trim();
    try {
      const token = await initiateAuth(username, form.elements.password.value);
      who.textContent = `Signed in as ${username}.`;
      signOut.hidden = false;
      render({ Authorization: token });
    } catch (error) {
      status.textContent = error.message;
    }
  });
  signOut.addEventListener("click", () => {
    who.textContent = "Reading with the API key.";
    signOut.hidden = true;
    render({ "x-api-key": config.apiKey });
  });
  if (!config.auth) form.hidden = true;
  render({ "x-api-key": config.apiKey });
})();
