// Who the visitor is, and the headers that say so on every API request.
// Now: the local mirror's dev identity (config.devIdentityHeader), a display name kept in localStorage.
// The Cognito sign-in issue re-implements this same interface; pages only use these functions.
import { read, write } from './storage.js';

const KEY = 'gather.devUser';
const listeners = new Set();
let config = null;

export function init(appConfig) {
  config = appConfig;
}

/** Whether this deployment offers a way to sign in at all. */
export function canSignIn() {
  return typeof config?.devIdentityHeader === 'string';
}

/** {id, displayName, groups} of the signed-in visitor, or null; id is the API's User.id for them. */
export function currentUser() {
  if (!canSignIn()) return null;
  const name = read(KEY);
  if (typeof name !== 'string' || !name) return null;
  // The mirror's dev identity (mirror/identity.py) names the user dev-<name in lower case>, in no groups.
  return { id: `dev-${name.toLowerCase()}`, displayName: name, groups: [] };
}

/** Resolves with the user, or rejects with an Error whose message suits the sign-in form. */
export async function signIn({ name }) {
  if (!canSignIn()) throw new Error('Sign-in is not available here yet.');
  const clean = String(name ?? '').trim().replace(/\s+/g, ' ');
  if (!clean) throw new Error('Enter a display name.');
  if (clean.length > 60) throw new Error('Use at most 60 characters.');
  // HTTP header values carry Latin-1 only.
  if (/[^\x20-\x7e\xa0-\xff]/.test(clean)) throw new Error('Use Latin letters, digits and punctuation for now.');
  write(KEY, clean);
  notify();
  return currentUser();
}

export async function signOut() {
  write(KEY, null);
  notify();
}

/** Headers for one API request: the API key, plus the visitor's identity when signed in. */
export async function authHeaders() {
  const headers = config.apiKey ? { 'x-api-key': config.apiKey } : {};
  const user = currentUser();
  if (user) headers[config.devIdentityHeader] = user.displayName;
  return headers;
}

/** Calls listener() after every sign-in or sign-out; returns a function that stops it. */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify() {
  for (const listener of listeners) listener(currentUser());
}

// Another tab signed in or out.
addEventListener('storage', (event) => {
  if (event.key === KEY) notify();
});
