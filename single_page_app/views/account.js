// The header's "Sign in as…" / "Sign out" area and the sign-in dialog (markup in index.html).
import { h } from '../dom.js';

export function mountAccount(auth) {
  const area = document.getElementById('account');
  const dialog = document.getElementById('sign-in-dialog');
  const form = document.getElementById('sign-in-form');
  const input = document.getElementById('sign-in-name');
  const error = document.getElementById('sign-in-error');
  let settle = null;
  let opener = null;

  function showError(message) {
    error.textContent = message ?? '';
    error.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function finish(user) {
    if (dialog.open) dialog.close(); // the browser gives focus back to the opener…
    if (opener && !opener.isConnected) area.querySelector('button')?.focus(); // …unless it was replaced
    opener = null;
    settle?.(user);
    settle = null;
  }

  /** Opens the dialog; resolves with the signed-in user, or null when the visitor cancels. */
  function requestSignIn() {
    if (!auth.canSignIn()) return Promise.resolve(null);
    showError(null);
    input.value = auth.currentUser()?.displayName ?? '';
    opener = document.activeElement;
    dialog.showModal();
    input.focus();
    return new Promise((resolve) => {
      settle = resolve;
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      finish(await auth.signIn({ name: input.value }));
    } catch (failure) {
      showError(failure.message);
      input.focus();
    }
  });
  document.getElementById('sign-in-cancel').addEventListener('click', () => finish(null));
  dialog.addEventListener('close', () => finish(null)); // Escape key

  function render() {
    const user = auth.currentUser();
    const hadFocus = area.contains(document.activeElement);
    if (!auth.canSignIn()) area.replaceChildren();
    else if (!user) {
      area.replaceChildren(
        h('button', { type: 'button', class: 'button small', onclick: requestSignIn }, 'Sign in as…'),
      );
    } else {
      area.replaceChildren(
        h('span', { class: 'who' }, 'Signed in as ', h('strong', null, user.displayName)),
        h('button', { type: 'button', class: 'button small secondary', onclick: () => auth.signOut() }, 'Sign out'),
      );
    }
    if (hadFocus) area.querySelector('button')?.focus();
  }

  auth.onChange(render);
  render();
  return { requestSignIn };
}
