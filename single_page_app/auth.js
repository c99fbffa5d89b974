// Who the visitor is, and the headers that say so on every API request.
// Cognito user pools, spoken directly (InitiateAuth with USER_PASSWORD_AUTH, then REFRESH_TOKEN_AUTH): the same
// requests go to the local pool behind `gather dev` and to cognito-idp.<region>.amazonaws.com, as config.auth says.
// The tokens live in localStorage, so every tab shares one session and signing out anywhere signs out everywhere.
import { read, write } from './storage.js';

const KEY = 'gather.session';
/** Refresh the ID token this long before it expires, so a request never leaves with a token about to lapse. */
const REFRESH_EARLY_MS = 5 * 60 * 1000;
const listeners = new Set();
let config = null;
let refreshing = null;
let lastUserId = null;
let decoded = { token: null, user: null };

/** A failed sign-in; message suits the sign-in form, code is Cognito's exception name (or one of ours). */
export class SignInError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'SignInError';
    this.code = code;
  }
}

const COGNITO_TEXT = {
  NotAuthorizedException: 'Wrong username or password.',
  UserNotFoundException: 'Wrong username or password.',
  UserNotConfirmedException: 'This account is not confirmed yet.',
  PasswordResetRequiredException: 'This account needs a new password before it can sign in.',
  TooManyRequestsException: 'Too many attempts. Wait a moment and try again.',
  TooManyFailedAttemptsException: 'Too many failed attempts. Wait a while and try again.',
  LimitExceededException: 'Too many attempts. Wait a moment and try again.',
  NetworkError: 'Could not reach the sign-in service. Check your connection and try again.',
};

export function init(appConfig) {
  config = appConfig;
  lastUserId = currentUser()?.id ?? null;
}

/** Whether this deployment offers a way to sign in at all (config.json names a user pool client). */
export function canSignIn() {
  return Boolean(config?.auth?.cognitoEndpoint && config.auth.userPoolClientId);
}

/** The kept tokens, if they are this app client's (another pool's, e.g. after a fresh local stack, are not). */
function session() {
  const kept = read(KEY);
  const usable = typeof kept?.idToken === 'string' && typeof kept.refreshToken === 'string';
  return usable && kept.clientId === config?.auth?.userPoolClientId ? kept : null;
}

/** A JWT's payload; the API verifies tokens, the page only reads who they name. */
function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/**
 * {id, username, displayName, groups, isAdmin} of the signed-in visitor, or null; id is the token's sub (the API's
 * User.id); isAdmin: in config.json's adminsGroup.
 */
export function currentUser() {
  const token = canSignIn() ? session()?.idToken : null;
  if (!token) return null;
  if (decoded.token !== token) {
    const claims = claimsOf(token);
    const username = claims?.['cognito:username'] ?? claims?.username;
    const groups = Array.isArray(claims?.['cognito:groups']) ? claims['cognito:groups'] : [];
    const user =
      typeof claims?.sub === 'string' && typeof username === 'string'
        ? {
            id: claims.sub,
            username,
            // As the API names people (resolvers/identity.py): name, else preferred_username, else username.
            displayName: claims.name || claims.preferred_username || username,
            groups,
            isAdmin: groups.includes(config.adminsGroup),
          }
        : null;
    decoded = { token, user };
  }
  return decoded.user;
}

async function cognito(action, body) {
  let response;
  try {
    response = await fetch(config.auth.cognitoEndpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SignInError(COGNITO_TEXT.NetworkError, 'NetworkError');
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    // An answer without JSON is reported by its status below.
  }
  if (!response.ok) {
    // "__type" is the exception's name, sometimes prefixed with a namespace ("…#NotAuthorizedException").
    const code = String(data?.__type ?? 'HttpError').split('#').pop();
    throw new SignInError(COGNITO_TEXT[code] ?? 'Signing in failed. Please try again.', code);
  }
  return data ?? {};
}

function keep(result, refreshToken) {
  write(KEY, {
    clientId: config.auth.userPoolClientId,
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    // Cognito sends a refresh token with a sign-in; a refresh answers without one, and the old one stays valid.
    refreshToken: result.RefreshToken ?? refreshToken,
    // Our own clock, not the token's exp: the visitor's clock may be wrong, the lifetime is not.
    expiresAt: Date.now() + (Number(result.ExpiresIn) || 3600) * 1000,
  });
}

/** Resolves with the user, or rejects with a SignInError whose message suits the sign-in form. */
export async function signIn({ username, password }) {
  if (!canSignIn()) throw new SignInError('Signing in is not available here.', 'Unavailable');
  const name = String(username ?? '').trim();
  if (!name) throw new SignInError('Enter your username.', 'MissingUsername');
  if (!password) throw new SignInError('Enter your password.', 'MissingPassword');
  const data = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: config.auth.userPoolClientId,
    AuthParameters: { USERNAME: name, PASSWORD: String(password) },
  });
  if (!data.AuthenticationResult?.IdToken) {
    // A challenge (NEW_PASSWORD_REQUIRED, MFA…) that this page cannot answer yet.
    throw new SignInError('This account has to finish setting up before it can sign in here.', data.ChallengeName);
  }
  keep(data.AuthenticationResult, null);
  notify();
  return currentUser();
}

/** Forgets the tokens. (Cognito's RevokeToken would also end the refresh token, but the local pool lacks it.) */
export async function signOut() {
  write(KEY, null);
  notify();
}

/** One refresh at a time, shared by every request that needs it; true when there is a fresh token. */
function refresh() {
  refreshing ??= refreshOnce().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function refreshOnce() {
  const stale = session();
  if (!stale) return false;
  try {
    const data = await cognito('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: config.auth.userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: stale.refreshToken },
    });
    if (session()?.refreshToken !== stale.refreshToken) return Boolean(session()); // signed out or in meanwhile
    if (!data.AuthenticationResult?.IdToken) return false;
    keep(data.AuthenticationResult, stale.refreshToken);
    return true;
  } catch (error) {
    // The refresh token expired or was revoked: the session is over. (A network failure keeps it for later.)
    if (error.code === 'NotAuthorizedException' && session()?.refreshToken === stale.refreshToken) {
      write(KEY, null);
      notify();
    }
    return false;
  }
}

/** Headers for one API request: the signed-in visitor's ID token (refreshed when due), else the API key. */
export async function authHeaders() {
  let kept = canSignIn() ? session() : null;
  if (kept && Date.now() >= kept.expiresAt - REFRESH_EARLY_MS) {
    await refresh();
    kept = session();
  }
  if (kept) return { Authorization: kept.idToken };
  return config.apiKey ? { 'x-api-key': config.apiKey } : {};
}

/**
 * After the API refused credentials (HTTP 401): whether sending the request again may help. A refused token is
 * refreshed; if the session is over, the retry goes with the API key and a write then asks to sign in.
 */
export async function retryAfterUnauthorized(sentHeaders) {
  if (!sentHeaders?.Authorization) return false; // the API key itself was refused
  if (session()?.idToken === sentHeaders.Authorization) await refresh();
  return true;
}

/** Calls listener(user) whenever the signed-in user changes (here or in another tab); returns a function that stops it. */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify() {
  const user = currentUser();
  if ((user?.id ?? null) === lastUserId) return; // a refreshed token is the same user
  lastUserId = user?.id ?? null;
  for (const listener of listeners) listener(user);
}

// Another tab signed in or out (or refreshed the tokens, which notify() tells apart).
addEventListener('storage', (event) => {
  if (event.key === KEY || event.key === null) notify();
});
