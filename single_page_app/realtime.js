// AppSync's real-time protocol over one browser WebSocket (subprotocol graphql-ws), the same code against the local
// mirror and AppSync. The auth header object ({host, x-api-key} or {host, Authorization}) rides base64-encoded in the
// URL and again with every start. connection_init → connection_ack {connectionTimeoutMs}; ka now and then (none
// within the timeout: the connection is dead); start → start_ack, then data or error; stop → complete.
// A dropped connection comes back with backoff and restarts every subscription; onResume listeners then catch up
// on what was missed, since AppSync does not replay.

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 300_000;
/** How long an open connection may wait for connection_ack before it counts as dead. */
const ACK_TIMEOUT_MS = 15_000;

/** @param {string} text */
const base64 = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

/**
 * url: config.realtimeUrl; apiUrl: config.graphqlUrl (its host names the API in the header object).
 * headers: async () => {Authorization: token} or {'x-api-key': key}, asked for every connection (auth.authHeaders).
 * retryUnauthorized: async (sentHeaders) => boolean, after the connection's credentials were refused.
 * onState(state): 'connecting' | 'live' (every subscription started) | 'offline' (reconnecting) | 'refused' | 'closed'.
 * @param {{url: string, apiUrl: string, headers: () => Promise<Record<string, string>>,
 *   retryUnauthorized?: (sent: Record<string, string> | null) => Promise<boolean>,
 *   onState?: (state: string) => void}} options
 */
export function createRealtime({ url, apiUrl, headers, retryUnauthorized = async () => false, onState = () => {} }) {
  const host = new URL(apiUrl).host;
  /** @type {Map<string, Subscription>} */
  const subscriptions = new Map();
  /** @type {Set<() => void>} */
  const resumeListeners = new Set();
  const lifetime = new AbortController();
  /** @type {WebSocket | 'opening' | null} */
  let socket = null;
  /** @type {Record<string, string> | null} */
  let authorization = null; // the header object of the current connection
  /** @type {Record<string, string> | null} */
  let sentHeaders = null;
  let acked = false;
  let everAcked = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let keepAliveTimer;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let retryTimer = null;
  let attempts = 0;
  let unauthorized = false;
  let counter = 0;
  let generation = 0; // which connect() is current: an older one still awaiting headers gives up
  /** @type {string | null} */
  let state = null;
  let timeoutMs = DEFAULT_TIMEOUT_MS;

  function report() {
    let next;
    if (lifetime.signal.aborted) next = 'closed';
    else if (!socket || !acked) next = retryTimer ? 'offline' : 'connecting';
    else if ([...subscriptions.values()].some((sub) => sub.refused)) next = 'refused';
    else next = [...subscriptions.values()].every((sub) => sub.started) ? 'live' : 'connecting';
    if (next !== state) onState((state = next));
  }

  /** @param {object} message */
  function send(message) {
    if (socket !== 'opening' && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  /** @param {string} id @param {Subscription} sub */
  function start(id, sub) {
    sub.started = false;
    sub.refused = false;
    const data = JSON.stringify({ query: sub.query, variables: sub.variables });
    send({ id, type: 'start', payload: { data, extensions: { authorization } } });
  }

  async function connect() {
    clearTimeout(retryTimer ?? undefined);
    retryTimer = null;
    if (lifetime.signal.aborted || socket || !subscriptions.size) return;
    const current = ++generation;
    socket = 'opening'; // a placeholder while the headers are fetched (a token may be refreshed first)
    report();
    const sent = await headers();
    if (lifetime.signal.aborted || current !== generation) return;
    sentHeaders = sent;
    authorization = { host, ...sent };
    const header = encodeURIComponent(base64(JSON.stringify(authorization)));
    const ws = new WebSocket(`${url}?header=${header}&payload=e30=`, ['graphql-ws']);
    socket = ws;
    acked = false;
    unauthorized = false;
    ws.addEventListener('open', () => {
      send({ type: 'connection_init' });
      keepAliveTimer = setTimeout(() => abandon(ws), ACK_TIMEOUT_MS);
    });
    ws.addEventListener('message', (message) => receive(ws, message));
    ws.addEventListener('close', () => dropped(ws));
  }

  function armKeepAlive() {
    clearTimeout(keepAliveTimer);
    keepAliveTimer = setTimeout(() => abandon(socket), timeoutMs);
  }

  /** @param {WebSocket} ws @param {MessageEvent} message */
  function receive(ws, message) {
    if (ws !== socket) return;
    /** @type {{id?: string, type?: string, payload?: any}} */
    let msg;
    try {
      msg = JSON.parse(message.data);
    } catch {
      return;
    }
    const sub = subscriptions.get(msg.id ?? '');
    switch (msg.type) {
      case 'connection_ack': {
        timeoutMs = Number(msg.payload?.connectionTimeoutMs) || DEFAULT_TIMEOUT_MS;
        armKeepAlive();
        acked = true;
        attempts = 0;
        for (const [id, each] of subscriptions) start(id, each);
        if (everAcked) for (const listener of resumeListeners) listener();
        everAcked = true;
        break;
      }
      case 'ka':
        armKeepAlive();
        break;
      case 'start_ack':
        if (sub) sub.started = true;
        break;
      case 'data':
        sub?.next(msg.payload ?? {});
        break;
      case 'error':
        if (sub) {
          sub.refused = true;
          sub.error?.(msg.payload?.errors ?? []);
        }
        break;
      case 'connection_error': {
        /** @type {{errorType?: string}[]} */
        const errors = msg.payload?.errors ?? [];
        unauthorized = errors.some((error) => /Unauthorized/.test(error?.errorType ?? ''));
        abandon(ws);
        break;
      }
      default: // complete, and anything newer
    }
    report();
  }

  /**
   * Gives up on a connection at once (a close handshake with a dead server can take long), then reconnects.
   * @param {WebSocket | 'opening' | null} ws
   */
  function abandon(ws) {
    if (!ws || ws === 'opening' || ws !== socket) return;
    ws.close();
    dropped(ws);
  }

  /** @param {WebSocket} ws */
  async function dropped(ws) {
    if (ws !== socket) return;
    socket = null;
    acked = false;
    clearTimeout(keepAliveTimer);
    for (const sub of subscriptions.values()) sub.started = false;
    if (lifetime.signal.aborted || !subscriptions.size) return report();
    const refreshed = unauthorized && (await retryUnauthorized(sentHeaders));
    if (lifetime.signal.aborted || socket || retryTimer) return; // reconnected or closed meanwhile
    const delay = refreshed && attempts === 0 ? 0 : Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempts);
    attempts += 1;
    retryTimer = setTimeout(connect, delay * (0.5 + Math.random() / 2));
    report();
  }

  function disconnect() {
    const old = socket;
    socket = null;
    acked = false;
    generation += 1;
    clearTimeout(keepAliveTimer);
    clearTimeout(retryTimer ?? undefined);
    retryTimer = null;
    if (old && old !== 'opening') old.close(1000);
  }

  /** New credentials (signed in or out): a new connection that carries them. */
  function reconnect() {
    disconnect();
    attempts = 0;
    connect();
  }

  addEventListener('online', () => retryTimer && connect(), { signal: lifetime.signal });

  return {
    /**
     * request: operations.js live; next(payload) gets each data message's payload ({data, errors}).
     * @template {{result: unknown, variables: unknown}} O
     * @param {Live<O>} request
     * @param {{next: (payload: {data?: O['result'] | null, errors?: unknown[]}) => void,
     *   error?: (errors: unknown[]) => void}} handlers
     */
    subscribe({ query, variables }, { next, error }) {
      counter += 1;
      const id = `s${counter}-${Date.now().toString(36)}`;
      const sub = { query, variables, next, error, started: false, refused: false };
      subscriptions.set(id, sub);
      if (socket && socket !== 'opening' && acked) start(id, sub);
      else connect();
      report();
      return () => {
        if (!subscriptions.delete(id)) return;
        send({ type: 'stop', id });
        if (!subscriptions.size) disconnect(); // until something subscribes again
        report();
      };
    },
    /**
     * Called after a dropped connection is back and its subscriptions restarted.
     * @param {() => void} listener
     */
    onResume(listener) {
      resumeListeners.add(listener);
      return () => resumeListeners.delete(listener);
    },
    reconnect,
    /** Stops everything for good (leaving the page). */
    close() {
      lifetime.abort();
      for (const id of subscriptions.keys()) send({ type: 'stop', id });
      subscriptions.clear();
      disconnect();
      report();
    },
  };
}
