// AWS's own front-end clients against a running `gather dev`, configured as the README says and nothing else:
// AWS Amplify JS v6, and Apollo Client 3 with aws-appsync-auth-link and aws-appsync-subscription-link.
// tests/integration/test_node_clients.py runs this once and checks what it reports.
//
// Input (GATHER_CLIENTS_INPUT, JSON): {stack: <stack.json>, username, password, eventId, fullEventId}.
// Output (stdout, JSON): per client, what each step returned or the error it surfaced, and the socket URLs opened.

import { createRequire } from 'node:module';
import WebSocketImplementation from 'ws';

const opened = [];
// Node 20 has no global WebSocket; both clients construct `new WebSocket(url, protocols)` on the global.
globalThis.WebSocket = class RecordingWebSocket extends WebSocketImplementation {
  constructor(url, protocols, options) {
    opened.push(String(url).split('?')[0]);
    super(url, protocols, options);
  }
};

const { Amplify } = await import('aws-amplify');
const { generateClient } = await import('aws-amplify/api');
const { signIn, signOut, fetchAuthSession } = await import('aws-amplify/auth');
const { Hub } = await import('aws-amplify/utils');
// Apollo and AWS's links as one CommonJS graph (the links are CommonJS only).
const require = createRequire(import.meta.url);
const { ApolloClient, ApolloLink, InMemoryCache, gql } = require('@apollo/client/core');
const { createAuthLink } = require('aws-appsync-auth-link');
const { createSubscriptionHandshakeLink, CONTROL_EVENTS_KEY } = require('aws-appsync-subscription-link');

const input = JSON.parse(process.env.GATHER_CLIENTS_INPUT);
const { stack } = input;
const region = stack.auth.userPoolId.split('_')[0];
const TIMEOUT_MS = 15_000;

const LIST = 'query List { listEvents(limit: 5) { items { id title } } }';
const COMMENT = `mutation Comment($eventId: ID!, $content: String!) {
  commentOnEvent(eventId: $eventId, content: $content) { id eventId content createdAt author { id displayName } }
}`;
const ON_COMMENT = `subscription OnComment($eventId: ID!) {
  onCommentAdded(eventId: $eventId) { id eventId content author { displayName } }
}`;
const RSVP = 'mutation Rsvp($eventId: ID!) { rsvp(eventId: $eventId) { id attendeeCount } }';

Amplify.configure({
  API: { GraphQL: { endpoint: stack.tls.graphqlUrl, region, defaultAuthMode: 'apiKey', apiKey: stack.apiKey } },
  Auth: {
    Cognito: {
      userPoolId: stack.auth.userPoolId,
      userPoolClientId: stack.auth.userPoolClientId,
      userPoolEndpoint: stack.auth.cognitoEndpoint,
    },
  },
});

function apollo(url, auth) {
  return new ApolloClient({
    link: ApolloLink.from([createAuthLink({ url, region, auth }), createSubscriptionHandshakeLink({ url, region, auth })]),
    cache: new InMemoryCache(),
  });
}

const idToken = async () => (await fetchAuthSession()).tokens.idToken.toString();
const apolloKey = apollo(stack.graphqlUrl, { type: 'API_KEY', apiKey: stack.apiKey });
const apolloUser = apollo(stack.graphqlUrl, { type: 'AMAZON_COGNITO_USER_POOLS', jwtToken: idToken });
const apolloWrongKey = apollo(stack.graphqlUrl, { type: 'API_KEY', apiKey: 'da2-wrong-key' });
const amplify = generateClient();

function plain(value) {
  return JSON.parse(JSON.stringify(value ?? null));
}

/** What a failed call surfaced to the application: the fields a front end would branch on. */
function surfaced(error) {
  return {
    name: error?.name ?? null,
    message: error?.message ?? null,
    errors: plain(error?.errors ?? error?.graphQLErrors ?? null),
    networkStatus: error?.networkError?.statusCode ?? null,
    networkErrors: plain(error?.networkError?.result?.errors ?? null),
    originalErrorName: error?.errors?.[0]?.originalError?.name ?? null,
  };
}

async function attempt(call) {
  try {
    return { ok: plain(await call()) };
  } catch (error) {
    return { error: surfaced(error) };
  }
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Amplify subscribes; once AppSync's start_ack is in (Amplify's Hub says so), Apollo posts a comment. */
async function amplifyReceivesApollosComment() {
  let ready;
  const acked = new Promise((resolve) => {
    ready = resolve;
  });
  const stopListening = Hub.listen('api', ({ payload }) => {
    if (payload.event === 'Subscription ack') ready();
  });
  let subscription;
  const received = new Promise((resolve, reject) => {
    subscription = amplify
      .graphql({ query: ON_COMMENT, variables: { eventId: input.eventId } })
      .subscribe({ next: ({ data }) => resolve(data.onCommentAdded), error: reject });
  });
  try {
    await withTimeout(acked, 'Amplify subscription ack');
    const posted = await apolloUser.mutate({
      mutation: gql(COMMENT),
      variables: { eventId: input.eventId, content: 'From Apollo to Amplify' },
    });
    return { posted: plain(posted.data.commentOnEvent), received: plain(await withTimeout(received, 'Amplify data')) };
  } finally {
    subscription.unsubscribe();
    stopListening();
  }
}

/** Apollo subscribes (asking for the link's control events to learn of start_ack); then Amplify posts. */
async function apolloReceivesAmplifysComment() {
  let subscription;
  let ready;
  const acked = new Promise((resolve) => {
    ready = resolve;
  });
  const received = new Promise((resolve, reject) => {
    subscription = apolloKey
      .subscribe({
        query: gql(ON_COMMENT),
        variables: { eventId: input.eventId },
        context: { controlMessages: { [CONTROL_EVENTS_KEY]: true } },
      })
      .subscribe({
        next: (result) => {
          if (result.extensions?.controlMsgType === 'CONNECTED') ready();
          else if (result.data?.onCommentAdded) resolve(result.data.onCommentAdded);
        },
        error: reject,
      });
  });
  try {
    await withTimeout(acked, 'Apollo subscription ack');
    const posted = await amplify.graphql({
      query: COMMENT,
      variables: { eventId: input.eventId, content: 'From Amplify to Apollo' },
      authMode: 'userPool',
    });
    return { posted: plain(posted.data.commentOnEvent), received: plain(await withTimeout(received, 'Apollo data')) };
  } finally {
    subscription.unsubscribe();
  }
}

const report = { amplify: {}, apollo: {} };
report.amplify.query = await attempt(() => amplify.graphql({ query: LIST }));
report.apollo.query = await attempt(() => apolloKey.query({ query: gql(LIST) }));
report.amplify.wrongKey = await attempt(() => generateClient({ apiKey: 'da2-wrong-key' }).graphql({ query: LIST }));
report.apollo.wrongKey = await attempt(() => apolloWrongKey.query({ query: gql(LIST) }));

report.amplify.signIn = await attempt(() => signIn({ username: input.username, password: input.password }));
report.amplify.mutation = await attempt(() =>
  amplify.graphql({
    query: COMMENT,
    variables: { eventId: input.eventId, content: 'Amplify, signed in' },
    authMode: 'userPool',
  }),
);
report.apollo.mutation = await attempt(() =>
  apolloUser.mutate({ mutation: gql(COMMENT), variables: { eventId: input.eventId, content: 'Apollo, signed in' } }),
);
report.amplify.subscription = await attempt(amplifyReceivesApollosComment);
report.apollo.subscription = await attempt(apolloReceivesAmplifysComment);
report.amplify.eventFull = await attempt(() =>
  amplify.graphql({ query: RSVP, variables: { eventId: input.fullEventId }, authMode: 'userPool' }),
);
report.apollo.eventFull = await attempt(() =>
  apolloUser.mutate({ mutation: gql(RSVP), variables: { eventId: input.fullEventId } }),
);
report.amplify.signOut = await attempt(() => signOut());
report.opened = opened;

process.stdout.write(JSON.stringify(report));
process.exit(0); // the clients keep sockets and timers of their own
