// Signing in when an action on the event page needs it: before acting, or offered with the error that asked for it.
import { say } from '../../dom.js';
import { needsSignIn } from '../../messages.js';

const NOT_AVAILABLE = 'Signing in is not available here.';

/**
 * The signed-in user, asking the visitor to sign in first if need be; null when they cannot or would not.
 * @param {ViewContext} ctx @param {HTMLElement} status where to say that signing in is not available
 */
export async function actingUser({ auth, requestSignIn }, status) {
  const user = auth.currentUser();
  if (user) return user;
  if (!auth.canSignIn()) {
    say(status, 'error', NOT_AVAILABLE);
    return null;
  }
  return requestSignIn();
}

/**
 * When signing in would help: a "Sign in" button that signs in, then retries.
 * @param {ViewContext} ctx @param {unknown} error @param {User | null} user @param {() => unknown} retry
 * @returns {Action | null}
 */
export function signInThen({ auth, requestSignIn }, error, user, retry) {
  return needsSignIn(error, user) && auth.canSignIn()
    ? { label: 'Sign in', onclick: async () => (await requestSignIn()) && retry() }
    : null;
}
