// The header's "Sign in" / "Signed in as … · Sign out" area, and the account dialog: sign in, create an account,
// confirm it with the emailed code, reset a forgotten password, set the new password an admin-made account needs,
// and answer the authenticator-app code. Each step is one form in the same dialog; Cognito decides what comes next.
import { h, fill } from '../dom.js';

const WRONG_CREDENTIALS = new Set(['NotAuthorizedException', 'UserNotFoundException']);
const ATTRIBUTE_FIELDS = {
  email: { label: 'Email address', type: 'email', autocomplete: 'email', maxlength: 254 },
};
/** Which field a failure is about, by its code (auth.js SignInError codes and Cognito exception names). */
const FIELD_OF_CODE = {
  MissingUsername: 'username',
  MissingPassword: 'password',
  MissingCode: 'code',
  UsernameExistsException: 'username',
  InvalidPasswordException: 'password',
  CodeMismatchException: 'code',
  ExpiredCodeException: 'code',
  EnableSoftwareTokenMFAException: 'code',
  AliasExistsException: 'email',
};

export function mountAccount(auth, profile) {
  const area = document.getElementById('account');
  const dialog = document.getElementById('sign-in-dialog');
  const form = document.getElementById('sign-in-form');
  let settle = null;
  let pending = null;
  let opener = null;
  /** What the steps share: the username, the password just chosen (to sign in after confirming), a challenge. */
  let state = {};
  let fields = {};
  let error = null;
  let submit = null;
  let onSubmit = null;
  let current = null;

  function field(name, label, props = {}) {
    const id = `sign-in-${name}`;
    const input = h('input', { id, name, 'aria-describedby': 'sign-in-error', ...props });
    fields[name] = input;
    return h('div', { class: 'field' }, h('label', { for: id }, label), input);
  }

  /** The username, as every step that asks for it asks (Cognito allows 128 characters). */
  const usernameField = () =>
    field('username', 'Username', {
      autocomplete: 'username',
      autocapitalize: 'none',
      spellcheck: 'false',
      maxlength: 128,
      value: state.username ?? '',
    });

  /** A password field (Cognito allows 256 characters); `new-password` lets the browser suggest a strong one. */
  const passwordField = (label, autocomplete) =>
    field('password', label, { type: 'password', autocomplete, maxlength: 256 });

  const linkButton = (label, onclick) => h('button', { type: 'button', class: 'link-button', onclick }, label);

  /** Shows one step: {title, hint, fields: [nodes], submit: label, links: [nodes], run: async () => next}. */
  function show(step) {
    current = step;
    fields = {};
    error = h('p', { class: 'field-error', id: 'sign-in-error', role: 'alert', hidden: true });
    submit = h('button', { type: 'submit', class: 'button' }, step.submit);
    onSubmit = step.run;
    fill(
      form,
      h('h2', { id: 'sign-in-title' }, step.title),
      h('p', { class: 'muted', id: 'sign-in-hint' }, step.hint),
      ...step.fields(),
      error,
      h(
        'div',
        { class: 'actions' },
        submit,
        h('button', { type: 'button', class: 'button secondary', onclick: () => finish(null) }, 'Cancel'),
      ),
      step.links?.length ? h('div', { class: 'dialog-links' }, ...step.links) : null,
    );
    form.dataset.step = step.name;
    const first = Object.values(fields).find((input) => !input.value) ?? Object.values(fields)[0];
    first?.focus();
  }

  function showError(message, wrong = []) {
    error.textContent = message ?? '';
    error.hidden = !message;
    for (const [name, input] of Object.entries(fields)) {
      if (wrong.includes(name)) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  /** What a sign-in step led to: signed in (done), or the challenge's own step. */
  function after(result) {
    if (result.user) return finish(result.user);
    state.challenge = result.challenge;
    return show(result.challenge.name === 'NEW_PASSWORD_REQUIRED' ? newPasswordStep() : mfaStep());
  }

  const signInStep = (notice) => ({
    name: 'sign-in',
    title: 'Sign in',
    hint: notice ?? 'Sign in to RSVP, comment and host events.',
    submit: 'Sign in',
    fields: () => [
      usernameField(),
      passwordField('Password', 'current-password'),
    ],
    links: [
      linkButton('Create an account', () => show(signUpStep())),
      linkButton('Forgot your password?', () => show(forgotStep())),
    ],
    busy: 'Signing in…',
    run: async () => {
      state.username = fields.username.value.trim();
      try {
        after(await auth.signIn({ username: fields.username.value, password: fields.password.value }));
      } catch (failure) {
        if (failure.code !== 'UserNotConfirmedException') throw failure;
        state.password = fields.password.value;
        show(confirmStep(null, failure.message));
      }
    },
  });

  const signUpStep = () => ({
    name: 'sign-up',
    title: 'Create an account',
    hint: `Choose a username others will see, and a password of ${auth.passwordRules()}.`,
    submit: 'Create account',
    fields: () => [
      usernameField(),
      ...auth.signUpAttributes().map((name) => {
        const { label, ...props } = ATTRIBUTE_FIELDS[name] ?? { label: name.replace(/_/g, ' '), maxlength: 256 };
        return field(name, label, props);
      }),
      passwordField('Password', 'new-password'),
    ],
    links: [linkButton('I have an account: sign in', () => show(signInStep()))],
    busy: 'Creating…',
    run: async () => {
      const attributes = Object.fromEntries(auth.signUpAttributes().map((name) => [name, fields[name].value]));
      const result = await auth.signUp({ username: fields.username.value, password: fields.password.value, attributes });
      state.username = fields.username.value.trim();
      state.password = fields.password.value;
      if (result.confirmed) after(await auth.signIn({ username: state.username, password: state.password }));
      else show(confirmStep(result.destination));
    },
  });

  const sentTo = (destination) => (destination ? `We sent a code to ${destination}.` : 'We sent you a code.');

  const confirmStep = (destination, notice) => ({
    name: 'confirm',
    title: 'Confirm your account',
    hint: notice ?? `${sentTo(destination)} Enter it to finish creating your account.`,
    submit: 'Confirm',
    fields: () => [
      usernameField(),
      field('code', 'Confirmation code', { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 64 }),
    ],
    links: [
      linkButton('Send a new code', async () => {
        try {
          const where = await auth.resendCode({ username: fields.username.value });
          showError(null);
          document.getElementById('sign-in-hint').textContent = `${sentTo(where)} Enter the new code.`;
        } catch (failure) {
          showError(failure.message, [FIELD_OF_CODE[failure.code]]);
        }
      }),
    ],
    busy: 'Confirming…',
    run: async () => {
      state.username = fields.username.value.trim();
      await auth.confirmSignUp({ username: fields.username.value, code: fields.code.value });
      if (state.password) after(await auth.signIn({ username: state.username, password: state.password }));
      else show(signInStep('Your account is confirmed. Sign in to continue.'));
    },
  });

  const forgotStep = () => ({
    name: 'forgot',
    title: 'Reset your password',
    hint: "Enter your username and we'll send a code to your email address.",
    submit: 'Send code',
    fields: () => [
      usernameField(),
    ],
    links: [linkButton('Back to sign in', () => show(signInStep()))],
    busy: 'Sending…',
    run: async () => {
      state.username = fields.username.value.trim();
      show(resetStep(await auth.forgotPassword({ username: fields.username.value })));
    },
  });

  const resetStep = (destination) => ({
    name: 'reset',
    title: 'Choose a new password',
    hint: `${sentTo(destination)} Enter it with a new password (${auth.passwordRules()}).`,
    submit: 'Reset password',
    fields: () => [
      field('code', 'Code', { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 64 }),
      passwordField('New password', 'new-password'),
    ],
    busy: 'Saving…',
    run: async () => {
      const password = fields.password.value;
      await auth.resetPassword({ username: state.username, code: fields.code.value, password });
      after(await auth.signIn({ username: state.username, password }));
    },
  });

  const newPasswordStep = () => ({
    name: 'new-password',
    title: 'Set your password',
    hint: `Your account was made with a temporary password. Choose your own (${auth.passwordRules()}) to finish signing in.`,
    submit: 'Set password',
    fields: () => [
      passwordField('New password', 'new-password'),
    ],
    busy: 'Saving…',
    run: async () => after(await auth.answerChallenge(state.challenge, { newPassword: fields.password.value })),
  });

  const mfaStep = () => ({
    name: 'mfa',
    title: 'Enter your code',
    hint: 'Open your authenticator app and enter the 6-digit code it shows for Gather.',
    submit: 'Verify',
    fields: () => [
      field('code', 'Code', { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6 }),
    ],
    busy: 'Verifying…',
    run: async () => after(await auth.answerChallenge(state.challenge, { code: fields.code.value })),
  });

  function finish(user) {
    state = {};
    for (const input of Object.values(fields)) if (input.type === 'password') input.value = ''; // never left in the page
    if (dialog.open) dialog.close(); // the browser gives focus back to the opener…
    if (opener && !opener.isConnected) area.querySelector('button')?.focus(); // …unless it was replaced
    opener = null;
    settle?.(user);
    settle = null;
    pending = null;
  }

  /** Opens the dialog (at sign-in, or `start`: 'sign-up'); resolves with the signed-in user, or null if cancelled. */
  function requestSignIn(start = 'sign-in') {
    if (!auth.canSignIn()) return Promise.resolve(null);
    const user = auth.currentUser();
    if (user) return Promise.resolve(user);
    if (pending && dialog.open) return pending;
    settle?.(null); // a session whose close event has not come yet
    opener = document.activeElement;
    dialog.showModal();
    show(start === 'sign-up' ? signUpStep() : signInStep());
    pending = new Promise((resolve) => {
      settle = resolve;
    });
    return pending;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.getAttribute('aria-disabled') === 'true') return;
    const step = current;
    const button = submit;
    showError(null);
    button.setAttribute('aria-disabled', 'true');
    button.textContent = step.busy;
    try {
      await onSubmit();
    } catch (failure) {
      if (current !== step) return; // the failure belongs to a step no longer shown
      // Focus goes where the visitor fixes it: the field it is about, else the password (selected, to retype).
      const wrong = WRONG_CREDENTIALS.has(failure.code) ? ['username', 'password'] : [FIELD_OF_CODE[failure.code]];
      showError(failure.message, wrong);
      const target = fields[FIELD_OF_CODE[failure.code]] ?? fields.password ?? Object.values(fields)[0];
      target?.focus();
      target?.select?.();
    } finally {
      button.removeAttribute('aria-disabled');
      button.textContent = step.submit;
    }
  });
  // Escape. The event comes a moment after the dialog closed: by then the visitor may have opened it again.
  dialog.addEventListener('close', () => dialog.open || finish(null));

  function render() {
    const user = auth.currentUser();
    const hadFocus = area.contains(document.activeElement);
    if (!auth.canSignIn()) fill(area);
    else if (!user) {
      fill(
        area,
        h('button', { type: 'button', class: 'button small', onclick: () => requestSignIn() }, 'Sign in'),
        h('button', { type: 'button', class: 'button small secondary', onclick: () => requestSignIn('sign-up') }, 'Sign up'),
      );
    } else {
      const name = h('strong', null, profile.displayName(user));
      fill(
        area,
        h(
          'span',
          { class: 'who' },
          h('span', { class: 'who-prefix' }, 'Signed in as '),
          h('a', { href: '/account', class: 'who-link' }, name),
          user.isAdmin && h('span', { class: 'badge' }, ' (admin)'),
        ),
        h('button', { type: 'button', class: 'button small secondary', onclick: () => auth.signOut() }, 'Sign out'),
      );
    }
    if (hadFocus) area.querySelector('button')?.focus();
  }

  auth.onChange(render);
  profile.onChange(render);
  render();
  return { requestSignIn };
}
