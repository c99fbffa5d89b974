// The one GraphQL client: POST {query, variables} as JSON, AppSync-style errors become ApiError.

export class ApiError extends Error {
  /**
   * errorType is the API's (ValidationError, EventFull, …) or NetworkError / HttpError from here.
   * @param {string} message @param {string} errorType
   * @param {{path?: ReadonlyArray<string | number> | null, status?: number}} [details]
   */
  constructor(message, errorType, { path = null, status = 0 } = {}) {
    super(message);
    this.name = 'ApiError';
    this.errorType = errorType;
    this.path = path;
    this.status = status;
  }
}

const RETRIES = 2;
/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * headers: async () => object, asked before every request (auth may refresh a token).
 * retryUnauthorized: async (sentHeaders) => boolean, asked once after an HTTP 401 whether to send again.
 * @param {{url: string, headers: () => Promise<Record<string, string>>,
 *   retryUnauthorized?: (sent: Record<string, string>) => Promise<boolean>}} client
 * @returns {ApiRequest}
 */
export function createClient({ url, headers, retryUnauthorized = async () => false }) {
  /** The API answers Busy when one event gets too many writes at once; it says retrying is safe. */
  return async function request(query, variables = {}, { signal } = {}) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await send(query, variables, signal);
      } catch (error) {
        const busy = error instanceof ApiError && error.errorType === 'Busy';
        if (!busy || attempt === RETRIES || signal?.aborted) throw error;
        await pause(150 * 2 ** attempt + Math.random() * 100);
      }
    }
  };

  /** @param {string} query @param {object} variables @param {AbortSignal | undefined} signal @returns {Promise<any>} */
  async function send(query, variables, signal, retried = false) {
    const sent = await headers();
    let response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...sent },
        body: JSON.stringify({ query, variables }),
        signal,
      });
    } catch (error) {
      if (/** @type {Error} */ (error).name === 'AbortError') throw error;
      throw new ApiError('Could not reach the server.', 'NetworkError');
    }
    if (response.status === 401 && !retried && !signal?.aborted && (await retryUnauthorized(sent))) {
      return send(query, variables, signal, true);
    }
    /** @type {{data?: object, errors?: {message?: string, errorType?: string, path?: (string | number)[]}[]} | null} */
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      if (/** @type {Error} */ (error).name === 'AbortError') throw error;
    }
    const first = body?.errors?.[0];
    if (first) {
      throw new ApiError(first.message || 'The server refused the request.', first.errorType || 'Unknown', {
        path: first.path ?? null,
        status: response.status,
      });
    }
    if (!response.ok || !body?.data) {
      throw new ApiError(`The server answered ${response.status}.`, 'HttpError', { status: response.status });
    }
    return body.data;
  }
}
