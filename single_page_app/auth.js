// Who the visitor is, the headers that say so on every API request, and the account's own flows.
// Cognito user pools, spoken directly with Cognito's own API (InitiateAuth with USER_PASSWORD_AUTH and its
// challenges, REFRESH_TOKEN_AUTH, SignUp, ConfirmSignUp, ForgotPassword, TOTP enrolment, RevokeToken): the same
// requests go to the local pool behind `gather dev` and to cognito-idp.<region>.amazonaws.com, as config.auth says.
// The tokens live in localStorage, so every tab shares one session and signing out anywhere signs out everywhere.
import { describePasswordPolicy } from './password_policy.js';
import { read, write } from './storage.js';

const KEY = 'gather.session';
/** Refresh the ID token this long before it expires, so a request never leaves with a token about to lapse. */
const REFRESH_EARLY_MS = 5 * 60 * 1000;
/** @type {Set<(user: User | null) => void>} */
const listeners = new Set();
/** @type {Config} */
let config = /** @type {any} */ (null); // set by init(), before anything asks
/** @type {Promise<boolean> | null} */
let refreshing = null;
/** @type {string | null} */
let lastUserId = null;
/** @type {{token: string | null, user: User | null}} */
let decoded = { token: null, user: null };

/** A failed sign-in; message suits the sign-in form, code is Cognito's exception name (or one of ours). */
export class SignInError extends Error {
  /** @param {string} message @param {string} code */
  constructor(message, code) {
    super(message);
    this.name = 'SignInError';
    this.code = code;
  }
}

/** @type {Record<string, string>} */
const COGNITO_TEXT = {
  NotAuthorizedException: 'Wrong username or password.',
  UserNotFoundException: 'Wrong username or password.',
  UserNotConfirmedException: 'This account is not confirmed yet. Enter the code we sent you.',
  PasswordResetRequiredException: 'This account needs a new password before it can sign in.',
  UsernameExistsException: 'That username is taken. Choose another one.',
  CodeMismatchException: 'That code is not right. Check it and try again.',
  ExpiredCodeException: 'That code has expired or was already used. Ask for a new one.',
  EnableSoftwareTokenMFAException: 'That code is not right. Check your authenticator app and try again.',
  AliasExistsException: 'An account with that email address already exists.',
  InvalidParameterException: 'Some of the details are not valid. Check them and try again.',
  CodeDeliveryFailureException: 'The code could not be sent. Try again later.',
  TooManyRequestsException: 'Too many attempts. Wait a moment and try again.',
  TooManyFailedAttemptsException: 'Too many failed attempts. Wait a while and try again.',
  LimitExceededException: 'Too many attempts. Wait a moment and try again.',
  NetworkError: 'Could not reach the sign-in service. Check your connection and try again.',
};

/** @param {Config} appConfig */
export function init(appConfig) {
  config = appConfig;
  lastUserId = currentUser()?.id ?? null;
}

/** The user pool config.json names; asked only once canSignIn() has said yes. */
const pool = () => /** @type {NonNullable<Config['auth']>} */ (config.auth);

/** Whether this deployment offers a way to sign in at all (config.json names a user pool client). */
export function canSignIn() {
  return Boolean(config?.auth?.cognitoEndpoint && config.auth.userPoolClientId);
}

/**
 * The kept tokens, if they are this app client's (another pool's, e.g. after a fresh local stack, are not).
 * @returns {Session | null}
 */
function session() {
  const kept = read(KEY);
  const usable = typeof kept?.idToken === 'string' && typeof kept.refreshToken === 'string';
  return usable && kept.clientId === config?.auth?.userPoolClientId ? kept : null;
}

/**
 * A JWT's payload; the API verifies tokens, the page only reads who they name.
 * @param {string} token @returns {Record<string, any> | null}
 */
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

/** @param {string} action @param {object} body @returns {Promise<Record<string, any>>} */
async function cognito(action, body) {
  let response;
  try {
    response = await fetch(pool().cognitoEndpoint, {
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
    const code = String(data?.__type ?? 'HttpError').split('#').pop() ?? '';
    const text =
      code === 'InvalidPasswordException'
        ? `That password is too weak: use ${passwordRules()}.`
        : (COGNITO_TEXT[code] ?? 'That did not work. Please try again.');
    // Cognito's own message for a bad parameter or password says what to change.
    const detail =
      code === 'InvalidParameterException' && typeof data?.message === 'string' ? ` (${data.message})` : '';
    throw new SignInError(text + detail, code);
  }
  return data ?? {};
}

/** @param {Record<string, any>} result @param {string | null} refreshToken */
function keep(result, refreshToken) {
  write(KEY, {
    clientId: pool().userPoolClientId,
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    // Cognito sends a refresh token with a sign-in; a refresh answers without one, and the old one stays valid.
    refreshToken: result.RefreshToken ?? refreshToken,
    // Our own clock, not the token's exp: the visitor's clock may be wrong, the lifetime is not.
    expiresAt: Date.now() + (Number(result.ExpiresIn) || 3600) * 1000,
  });
}

/**
 * What a sign-in step led to: {user} when signed in, or {challenge} when Cognito asks for more first
 * (NEW_PASSWORD_REQUIRED or SOFTWARE_TOKEN_MFA; answer it with answerChallenge). Rejects with a SignInError.
 * @param {Record<string, any>} data @param {string} username @returns {SignInStep}
 */
function settled(data, username) {
  if (data.AuthenticationResult?.IdToken) {
    keep(data.AuthenticationResult, null);
    notify();
    return { user: currentUser(), challenge: null };
  }
  if (ANSWERABLE.has(data.ChallengeName)) {
    const name = data.ChallengeParameters?.USER_ID_FOR_SRP ?? data.ChallengeParameters?.USERNAME ?? username;
    return { user: null, challenge: { name: data.ChallengeName, session: data.Session, username: name } };
  }
  throw new SignInError('This account has to finish setting up before it can sign in here.', data.ChallengeName);
}

const ANSWERABLE = new Set(['NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA']);

/** @param {unknown} value @param {string} message @param {string} code */
function required(value, message, code) {
  const text = String(value ?? '').trim();
  if (!text) throw new SignInError(message, code);
  return text;
}

function available() {
  if (!canSignIn()) throw new SignInError('Signing in is not available here.', 'Unavailable');
}

/** @param {{username: string, password: string}} credentials */
export async function signIn({ username, password }) {
  available();
  const name = required(username, 'Enter your username.', 'MissingUsername');
  if (!password) throw new SignInError('Enter your password.', 'MissingPassword');
  const data = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: pool().userPoolClientId,
    AuthParameters: { USERNAME: name, PASSWORD: String(password) },
  });
  return settled(data, name);
}

/**
 * answer: {newPassword} for NEW_PASSWORD_REQUIRED, {code} for SOFTWARE_TOKEN_MFA. Resolves as signIn does.
 * @param {Challenge} challenge @param {{newPassword?: string, code?: string}} answer
 */
export async function answerChallenge(challenge, answer) {
  available();
  /** @type {Record<string, string>} */
  const responses = { USERNAME: challenge.username };
  if (challenge.name === 'NEW_PASSWORD_REQUIRED') {
    if (!answer.newPassword) throw new SignInError('Choose a new password.', 'MissingPassword');
    responses.NEW_PASSWORD = String(answer.newPassword);
  } else {
    const code = required(answer.code, 'Enter the code from your authenticator app.', 'MissingCode');
    responses.SOFTWARE_TOKEN_MFA_CODE = code;
  }
  const data = await cognito('RespondToAuthChallenge', {
    ChallengeName: challenge.name,
    ClientId: pool().userPoolClientId,
    Session: challenge.session,
    ChallengeResponses: responses,
  });
  return settled(data, challenge.username);
}

/** The pool's password rules in words (config.json's passwordPolicy). */
export function passwordRules() {
  return describePasswordPolicy(config?.passwordPolicy);
}

/** The attributes a new account must give (config.signUpAttributes, the pool's required ones). */
export function signUpAttributes() {
  return Array.isArray(config?.signUpAttributes) ? config.signUpAttributes : [];
}

/**
 * Resolves with {confirmed, destination}: where Cognito sent the confirmation code, unless none was needed.
 * @param {{username: string, password: string, attributes?: Record<string, string>}} account
 */
export async function signUp({ username, password, attributes = {} }) {
  available();
  const name = required(username, 'Choose a username.', 'MissingUsername');
  if (!password) throw new SignInError('Choose a password.', 'MissingPassword');
  const given = signUpAttributes().map((attribute) => ({
    Name: attribute,
    Value: required(attributes[attribute], `Enter your ${attribute.replace(/_/g, ' ')}.`, `Missing:${attribute}`),
  }));
  const data = await cognito('SignUp', {
    ClientId: pool().userPoolClientId,
    Username: name,
    Password: String(password),
    UserAttributes: given,
  });
  return { confirmed: Boolean(data.UserConfirmed), destination: data.CodeDeliveryDetails?.Destination ?? null };
}

/** @param {{username: string, code: string}} confirmation */
export async function confirmSignUp({ username, code }) {
  available();
  await cognito('ConfirmSignUp', {
    ClientId: pool().userPoolClientId,
    Username: required(username, 'Enter your username.', 'MissingUsername'),
    ConfirmationCode: required(code, 'Enter the code we sent you.', 'MissingCode'),
  });
}

/** Resolves with where the new code went. */
export async function resendCode(/** @type {{username: string}} */ { username }) {
  available();
  const data = await cognito('ResendConfirmationCode', {
    ClientId: pool().userPoolClientId,
    Username: required(username, 'Enter your username.', 'MissingUsername'),
  });
  return data.CodeDeliveryDetails?.Destination ?? null;
}

/** Resolves with where the reset code went. */
export async function forgotPassword(/** @type {{username: string}} */ { username }) {
  available();
  const data = await cognito('ForgotPassword', {
    ClientId: pool().userPoolClientId,
    Username: required(username, 'Enter your username.', 'MissingUsername'),
  });
  return data.CodeDeliveryDetails?.Destination ?? null;
}

/** @param {{username: string, code: string, password: string}} reset */
export async function resetPassword({ username, code, password }) {
  available();
  if (!password) throw new SignInError('Choose a new password.', 'MissingPassword');
  await cognito('ConfirmForgotPassword', {
    ClientId: pool().userPoolClientId,
    Username: required(username, 'Enter your username.', 'MissingUsername'),
    ConfirmationCode: required(code, 'Enter the code we sent you.', 'MissingCode'),
    Password: String(password),
  });
}

/**
 * A signed-in call with the access token (refreshed when due).
 * @param {string} action @param {object} [body]
 */
async function withAccessToken(action, body = {}) {
  await authHeaders();
  const kept = session();
  if (!kept?.accessToken) throw new SignInError('Sign in again to do this.', 'SignInRequired');
  return cognito(action, { AccessToken: kept.accessToken, ...body });
}

/** Whether the signed-in user signs in with an authenticator app code. */
export async function totpEnabled() {
  const data = await withAccessToken('GetUser');
  return Array.isArray(data.UserMFASettingList) && data.UserMFASettingList.includes('SOFTWARE_TOKEN_MFA');
}

/** Starts TOTP enrolment: resolves with {secret, uri} for the authenticator app. */
export async function startTotpEnrolment() {
  const data = await withAccessToken('AssociateSoftwareToken');
  const user = currentUser();
  const label = encodeURIComponent(`Gather:${user?.username ?? ''}`);
  return { secret: data.SecretCode, uri: `otpauth://totp/${label}?secret=${data.SecretCode}&issuer=Gather` };
}

/**
 * Finishes enrolment with a code from the app; from then on signing in asks for a code.
 * @param {string} code
 */
export async function finishTotpEnrolment(code) {
  const userCode = required(code, 'Enter the code from your authenticator app.', 'MissingCode');
  await withAccessToken('VerifySoftwareToken', { UserCode: userCode, FriendlyDeviceName: 'Authenticator app' });
  await withAccessToken('SetUserMFAPreference', { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
}

/** Forgets the tokens here, and ends the refresh token at Cognito (RevokeToken), so a copy of it is worthless. */
export async function signOut() {
  const kept = canSignIn() ? session() : null;
  write(KEY, null);
  notify();
  if (!kept) return;
  try {
    await cognito('RevokeToken', { ClientId: pool().userPoolClientId, Token: kept.refreshToken });
  } catch {
    // Signed out here either way; the refresh token lapses on its own.
  }
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
      ClientId: pool().userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: stale.refreshToken },
    });
    if (session()?.refreshToken !== stale.refreshToken) return Boolean(session()); // signed out or in meanwhile
    if (!data.AuthenticationResult?.IdToken) return false;
    keep(data.AuthenticationResult, stale.refreshToken);
    return true;
  } catch (error) {
    // The refresh token expired or was revoked: the session is over. (A network failure keeps it for later.)
    const refused = error instanceof SignInError && error.code === 'NotAuthorizedException';
    if (refused && session()?.refreshToken === stale.refreshToken) {
      write(KEY, null);
      notify();
    }
    return false;
  }
}

/**
 * Headers for one API request: the signed-in visitor's ID token (refreshed when due), else the API key.
 * @returns {Promise<Record<string, string>>}
 */
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
/** @param {Record<string, string> | null} sentHeaders */
export async function retryAfterUnauthorized(sentHeaders) {
  if (!sentHeaders?.Authorization) return false; // the API key itself was refused
  if (session()?.idToken === sentHeaders.Authorization) await refresh();
  return true;
}

/**
 * Calls listener(user) whenever the signed-in user changes (here or in another tab); returns a function that stops it.
 * @param {(user: User | null) => void} listener
 */
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
