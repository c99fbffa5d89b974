// The header's "Sign in" / "Signed in as … · Sign out" area and the sign-in dialog (markup in index.html).
import { h } from '../dom.js';
import { isAdmin } from '../permissions.js';

const WRONG_CREDENTIALS = new Set(['NotAuthorizedException', 'UserNotFoundException']);

export function mountAccount(auth) {
  const area = document.getElementById('account');
  const dialog = document.getElementById('sign-in-dialog');
  const form = document.getElementById('sign-in-form');
  const username = document.getElementById('sign-in-username');
  const password = document.getElementById('sign-in-password');
  const error = document.getElementById('sign-in-error');
  const submit = form.querySelector('button[type="submit"]');
  let settle = null;
  let pending = null;
  let opener = null;

  function showError(message, fields = []) {
    error.textContent = message ?? '';
    error.hidden = !message;
    for (const input of [username, password]) {
      if (fields.includes(input)) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  function finish(user) {
    password.value = ''; // never left in the page
    if (dialog.open) dialog.close(); // the browser gives focus back to the opener…
    if (opener && !opener.isConnected) area.querySelector('button')?.focus(); // …unless it was replaced
    opener = null;
    settle?.(user);
    settle = null;
    pending = null;
  }

  /** Opens the dialog; resolves with the signed-in user, or null when the visitor cancels. */
  function requestSignIn() {
    if (!auth.canSignIn()) return Promise.resolve(null);
    const user = auth.currentUser();
    if (user) return Promise.resolve(user);
    if (pending && dialog.open) return pending;
    settle?.(null); // a session whose close event has not come yet
    showError(null);
    opener = document.activeElement;
    dialog.showModal();
    (username.value ? password : username).focus();
    pending = new Promise((resolve) => {
      settle = resolve;
    });
    return pending;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.getAttribute('aria-disabled') === 'true') return;
    showError(null);
    submit.setAttribute('aria-disabled', 'true');
    submit.textContent = 'Signing in…';
    try {
      finish(await auth.signIn({ username: username.value, password: password.value }));
    } catch (failure) {
      // Focus goes where the visitor fixes it: the missing field, else the password (selected, to retype).
      const field = failure.code === 'MissingUsername' ? username : password;
      const wrong = { MissingUsername: [username], MissingPassword: [password] }[failure.code];
      showError(failure.message, wrong ?? (WRONG_CREDENTIALS.has(failure.code) ? [username, password] : []));
      field.focus();
      field.select();
    } finally {
      submit.removeAttribute('aria-disabled');
      submit.textContent = 'Sign in';
    }
  });
  document.getElementById('sign-in-cancel').addEventListener('click', () => finish(null));
  // Escape. The event comes a moment after the dialog closed: by then the visitor may have opened it again.
  dialog.addEventListener('close', () => dialog.open || finish(null));

  function render() {
    const user = auth.currentUser();
    const hadFocus = area.contains(document.activeElement);
    if (!auth.canSignIn()) area.replaceChildren();
    else if (!user) {
      area.replaceChildren(h('button', { type: 'button', class: 'button small', onclick: requestSignIn }, 'Sign in'));
    } else {
      area.replaceChildren(
        h(
          'span',
          { class: 'who' },
          'Signed in as ',
          h('strong', null, user.displayName),
          isAdmin(user) && h('span', { class: 'badge' }, ' (admin)'),
        ),
        h('button', { type: 'button', class: 'button small secondary', onclick: () => auth.signOut() }, 'Sign out'),
      );
    }
    if (hadFocus) area.querySelector('button')?.focus();
  }

  auth.onChange(render);
  render();
  return { requestSignIn };
}
