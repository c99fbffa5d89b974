// The header's "Sign in" / "Signed in as … · Sign out" area, and the account dialog: sign in, create an account,
// confirm it with the emailed code, reset a forgotten password, set the new password an admin-made account needs,
// and answer the authenticator-app code. Each step is one form in the same dialog; Cognito decides what comes next.
import { h, fill } from '../dom.js';
import { SignInError } from '../auth.js';

const WRONG_CREDENTIALS = new Set(['NotAuthorizedException', 'UserNotFoundException']);
/** @type {Record<string, Record<string, string | number> & {label: string}>} */
const ATTRIBUTE_FIELDS = {
  email: { label: 'Email address', type: 'email', autocomplete: 'email', maxlength: 254 },
};
/**
 * Which field a failure is about, by its code (auth.js SignInError codes and Cognito exception names).
 * @type {Record<string, string>}
 */
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

/**
 * One step of the dialog: its words, its fields, and what submitting it does (`run`: ask Cognito, show what follows).
 * @typedef {{name: string, title: string, hint: string, submit: string, busy: string, fields: () => HTMLElement[],
 *   links?: HTMLElement[], run: () => Promise<unknown>}} AccountStep
 */

/** @param {unknown} failure @returns {string} Cognito's exception name or auth.js's code; '' for anything else */
const codeOf = (failure) => (failure instanceof SignInError ? failure.code : '');
/** @param {unknown} failure */
const messageOf = (failure) => (failure instanceof Error ? failure.message : String(failure));

/**
 * The element index.html has under that id, as the kind this module needs.
 * @template {Element} T
 * @param {string} id @param {new () => T} kind
 */
function pageElement(id, kind) {
  const found = document.getElementById(id);
  if (!(found instanceof kind)) throw new Error(`index.html has no ${kind.name} #${id}`);
  return found;
}

/**
 * The header's account area and the sign-in dialog; `requestSignIn` opens it for any view.
 * @param {Auth} auth @param {ViewContext['profile']} profile
 */
export function mountAccount(auth, profile) {
  const area = pageElement('account', HTMLElement);
  const dialog = pageElement('sign-in-dialog', HTMLDialogElement);
  const steps = new StepForm(auth, pageElement('sign-in-form', HTMLFormElement), (user) => finish(user));
  /** @type {((user: User | null) => void) | null} */
  let settle = null;
  /** @type {Promise<User | null> | null} */
  let pending = null;
  /** @type {Element | null} */
  let opener = null;

  /** @param {User | null} user */
  function finish(user) {
    steps.reset();
    if (dialog.open) dialog.close(); // the browser gives focus back to the opener…
    if (opener && !opener.isConnected) area.querySelector('button')?.focus(); // …unless it was replaced
    opener = null;
    settle?.(user);
    settle = null;
    pending = null;
  }

  /**
   * Opens the dialog (at sign-in, or `start`: 'sign-up'); resolves with the signed-in user, or null if cancelled.
   * @param {'sign-in' | 'sign-up'} [start]
   * @returns {Promise<User | null>}
   */
  function requestSignIn(start = 'sign-in') {
    if (!auth.canSignIn()) return Promise.resolve(null);
    const user = auth.currentUser();
    if (user) return Promise.resolve(user);
    if (pending && dialog.open) return pending;
    settle?.(null); // a session whose close event has not come yet
    opener = document.activeElement;
    dialog.showModal();
    steps.show(start === 'sign-up' ? signUpStep(steps) : signInStep(steps));
    pending = new Promise((resolve) => {
      settle = resolve;
    });
    return pending;
  }

  // Escape. The event comes a moment after the dialog closed: by then the visitor may have opened it again.
  dialog.addEventListener('close', () => dialog.open || finish(null));
  const render = () => renderAccountArea(area, auth, profile, requestSignIn);
  auth.onChange(render);
  profile.onChange(render);
  render();
  return { requestSignIn };
}

/**
 * "Sign in" and "Sign up", or who is signed in (their name links to /account) and "Sign out".
 * @param {HTMLElement} area @param {Auth} auth @param {ViewContext['profile']} profile
 * @param {ViewContext['requestSignIn']} requestSignIn
 */
function renderAccountArea(area, auth, profile, requestSignIn) {
  const user = auth.currentUser();
  const hadFocus = area.contains(document.activeElement);
  const button = (/** @type {string} */ classes, /** @type {string} */ label, /** @type {() => unknown} */ onclick) =>
    h('button', { type: 'button', class: `button small${classes}`, onclick }, label);
  if (!auth.canSignIn()) fill(area);
  else if (!user) {
    fill(area, button('', 'Sign in', () => requestSignIn()), button(' secondary', 'Sign up', () => requestSignIn('sign-up')));
  } else {
    fill(
      area,
      h(
        'span',
        { class: 'who' },
        h('span', { class: 'who-prefix' }, 'Signed in as '),
        h('a', { href: '/account', class: 'who-link' }, h('strong', null, profile.displayName(user))),
        user.isAdmin && h('span', { class: 'badge' }, ' (admin)'),
      ),
      button(' secondary', 'Sign out', () => auth.signOut()),
    );
  }
  if (hadFocus) area.querySelector('button')?.focus();
}

/** The dialog's form, one step at a time: its fields, its error, its submit button, and what the steps share. */
class StepForm {
  /**
   * @param {Auth} auth @param {HTMLFormElement} form
   * @param {(user: User | null) => void} finish closes the dialog: signed in, or cancelled (null)
   */
  constructor(auth, form, finish) {
    this.auth = auth;
    this.form = form;
    this.finish = finish;
    /** What the steps share: the username, the password just chosen (to sign in after confirming), a challenge. */
    /** @type {{username?: string, password?: string, challenge?: Challenge}} */
    this.state = {};
    /** @type {Record<string, HTMLInputElement>} */
    this.fields = {};
    /** @type {AccountStep | null} */
    this.step = null;
    this.error = h('p', null);
    this.submit = h('button', null);
    form.addEventListener('submit', (event) => this.#submitted(event));
  }

  /**
   * An input of the step shown, labelled, its errors read with it.
   * @param {string} name @param {string} label @param {Record<string, string | number>} [props]
   */
  field(name, label, props = {}) {
    const id = `sign-in-${name}`;
    const input = h('input', { id, name, 'aria-describedby': 'sign-in-error', ...props });
    this.fields[name] = input;
    return h('div', { class: 'field' }, h('label', { for: id }, label), input);
  }

  /** @param {AccountStep} step */
  show(step) {
    this.step = step;
    this.fields = {};
    this.error = h('p', { class: 'field-error', id: 'sign-in-error', role: 'alert', hidden: true });
    this.submit = h('button', { type: 'submit', class: 'button' }, step.submit);
    fill(
      this.form,
      h('h2', { id: 'sign-in-title' }, step.title),
      h('p', { class: 'muted', id: 'sign-in-hint' }, step.hint),
      ...step.fields(),
      this.error,
      h(
        'div',
        { class: 'actions' },
        this.submit,
        h('button', { type: 'button', class: 'button secondary', onclick: () => this.finish(null) }, 'Cancel'),
      ),
      step.links?.length ? h('div', { class: 'dialog-links' }, ...step.links) : null,
    );
    this.form.dataset.step = step.name;
    const inputs = Object.values(this.fields);
    (inputs.find((input) => !input.value) ?? inputs[0])?.focus();
  }

  /**
   * Shows the failure (none clears it), marking the fields it is about.
   * @param {string | null} message @param {(string | undefined)[]} [wrong]
   */
  showError(message, wrong = []) {
    this.error.textContent = message ?? '';
    this.error.hidden = !message;
    for (const [name, input] of Object.entries(this.fields)) {
      if (wrong.includes(name)) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  /**
   * What a sign-in step led to: signed in (done), or the challenge's own step.
   * @param {SignInStep} result
   */
  after(result) {
    if (!result.challenge) return this.finish(result.user);
    this.state.challenge = result.challenge;
    this.show(result.challenge.name === 'NEW_PASSWORD_REQUIRED' ? newPasswordStep(this) : mfaStep(this));
  }

  /** Forgets what the steps shared, and every password typed (never left in the page). */
  reset() {
    this.state = {};
    for (const input of Object.values(this.fields)) if (input.type === 'password') input.value = '';
  }

  /** @param {SubmitEvent} event */
  async #submitted(event) {
    event.preventDefault();
    const { step, submit: button } = this;
    if (!step || button.getAttribute('aria-disabled') === 'true') return;
    this.showError(null);
    button.setAttribute('aria-disabled', 'true');
    button.textContent = step.busy;
    try {
      await step.run();
    } catch (failure) {
      if (this.step !== step) return; // the failure belongs to a step no longer shown
      // Focus goes where the visitor fixes it: the field it is about, else the password (selected, to retype).
      const code = codeOf(failure);
      this.showError(messageOf(failure), WRONG_CREDENTIALS.has(code) ? ['username', 'password'] : [FIELD_OF_CODE[code]]);
      const target = this.fields[FIELD_OF_CODE[code]] ?? this.fields.password ?? Object.values(this.fields)[0];
      target?.focus();
      target?.select();
    } finally {
      button.removeAttribute('aria-disabled');
      button.textContent = step.submit;
    }
  }
}

/**
 * The username, as every step that asks for it asks (Cognito allows 128 characters).
 * @param {StepForm} steps
 */
const usernameField = (steps) =>
  steps.field('username', 'Username', {
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    maxlength: 128,
    value: steps.state.username ?? '',
  });

/**
 * A password field (Cognito allows 256 characters); `new-password` lets the browser suggest a strong one.
 * @param {StepForm} steps @param {string} label @param {'current-password' | 'new-password'} autocomplete
 */
const passwordField = (steps, label, autocomplete) =>
  steps.field('password', label, { type: 'password', autocomplete, maxlength: 256 });

/** @param {StepForm} steps @param {string} label @param {number} maxlength */
const codeField = (steps, label, maxlength) =>
  steps.field('code', label, { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength });

/** @param {string} label @param {() => unknown} onclick */
const linkButton = (label, onclick) => h('button', { type: 'button', class: 'link-button', onclick }, label);

/** @param {string | null} destination */
const sentTo = (destination) => (destination ? `We sent a code to ${destination}.` : 'We sent you a code.');

/** The value of a field the step shows. @param {StepForm} steps @param {string} name */
const valueOf = (steps, name) => steps.fields[name].value;

/** @param {StepForm} steps @param {string} [notice] @returns {AccountStep} */
const signInStep = (steps, notice) => ({
  name: 'sign-in',
  title: 'Sign in',
  hint: notice ?? 'Sign in to RSVP, comment and host events.',
  submit: 'Sign in',
  fields: () => [usernameField(steps), passwordField(steps, 'Password', 'current-password')],
  links: [
    linkButton('Create an account', () => steps.show(signUpStep(steps))),
    linkButton('Forgot your password?', () => steps.show(forgotStep(steps))),
  ],
  busy: 'Signing in…',
  run: async () => {
    const [username, password] = [valueOf(steps, 'username'), valueOf(steps, 'password')];
    steps.state.username = username.trim();
    try {
      steps.after(await steps.auth.signIn({ username, password }));
    } catch (failure) {
      if (codeOf(failure) !== 'UserNotConfirmedException') throw failure;
      steps.state.password = password;
      steps.show(confirmStep(steps, null, messageOf(failure)));
    }
  },
});

/** @param {StepForm} steps @returns {AccountStep} */
const signUpStep = (steps) => ({
  name: 'sign-up',
  title: 'Create an account',
  hint: `Choose a username others will see, and a password of ${steps.auth.passwordRules()}.`,
  submit: 'Create account',
  fields: () => [
    usernameField(steps),
    ...steps.auth.signUpAttributes().map((name) => {
      const { label, ...props } = ATTRIBUTE_FIELDS[name] ?? { label: name.replace(/_/g, ' '), maxlength: 256 };
      return steps.field(name, label, props);
    }),
    passwordField(steps, 'Password', 'new-password'),
  ],
  links: [linkButton('I have an account: sign in', () => steps.show(signInStep(steps)))],
  busy: 'Creating…',
  run: async () => {
    const { auth, state } = steps;
    const attributes = Object.fromEntries(auth.signUpAttributes().map((name) => [name, valueOf(steps, name)]));
    const [username, password] = [valueOf(steps, 'username'), valueOf(steps, 'password')];
    const result = await auth.signUp({ username, password, attributes });
    state.username = username.trim();
    state.password = password;
    if (result.confirmed) steps.after(await auth.signIn({ username: state.username, password }));
    else steps.show(confirmStep(steps, result.destination));
  },
});

/** @param {StepForm} steps @param {string | null} destination @param {string} [notice] @returns {AccountStep} */
const confirmStep = (steps, destination, notice) => ({
  name: 'confirm',
  title: 'Confirm your account',
  hint: notice ?? `${sentTo(destination)} Enter it to finish creating your account.`,
  submit: 'Confirm',
  fields: () => [usernameField(steps), codeField(steps, 'Confirmation code', 64)],
  links: [
    linkButton('Send a new code', async () => {
      try {
        const where = await steps.auth.resendCode({ username: valueOf(steps, 'username') });
        steps.showError(null);
        pageElement('sign-in-hint', HTMLElement).textContent = `${sentTo(where)} Enter the new code.`;
      } catch (failure) {
        steps.showError(messageOf(failure), [FIELD_OF_CODE[codeOf(failure)]]);
      }
    }),
  ],
  busy: 'Confirming…',
  run: async () => {
    const { auth, state } = steps;
    state.username = valueOf(steps, 'username').trim();
    await auth.confirmSignUp({ username: valueOf(steps, 'username'), code: valueOf(steps, 'code') });
    if (state.password) steps.after(await auth.signIn({ username: state.username, password: state.password }));
    else steps.show(signInStep(steps, 'Your account is confirmed. Sign in to continue.'));
  },
});

/** @param {StepForm} steps @returns {AccountStep} */
const forgotStep = (steps) => ({
  name: 'forgot',
  title: 'Reset your password',
  hint: "Enter your username and we'll send a code to your email address.",
  submit: 'Send code',
  fields: () => [usernameField(steps)],
  links: [linkButton('Back to sign in', () => steps.show(signInStep(steps)))],
  busy: 'Sending…',
  run: async () => {
    steps.state.username = valueOf(steps, 'username').trim();
    steps.show(resetStep(steps, await steps.auth.forgotPassword({ username: valueOf(steps, 'username') })));
  },
});

/** @param {StepForm} steps @param {string | null} destination @returns {AccountStep} */
const resetStep = (steps, destination) => ({
  name: 'reset',
  title: 'Choose a new password',
  hint: `${sentTo(destination)} Enter it with a new password (${steps.auth.passwordRules()}).`,
  submit: 'Reset password',
  fields: () => [codeField(steps, 'Code', 64), passwordField(steps, 'New password', 'new-password')],
  busy: 'Saving…',
  run: async () => {
    const { auth, state } = steps;
    const [username, password] = [state.username ?? '', valueOf(steps, 'password')];
    await auth.resetPassword({ username, code: valueOf(steps, 'code'), password });
    steps.after(await auth.signIn({ username, password }));
  },
});

/** @param {StepForm} steps @returns {AccountStep} */
const newPasswordStep = (steps) => ({
  name: 'new-password',
  title: 'Set your password',
  hint: `Your account was made with a temporary password. Choose your own (${steps.auth.passwordRules()}) to finish signing in.`,
  submit: 'Set password',
  fields: () => [passwordField(steps, 'New password', 'new-password')],
  busy: 'Saving…',
  run: async () => steps.after(await steps.auth.answerChallenge(challenge(steps), { newPassword: valueOf(steps, 'password') })),
});

/** @param {StepForm} steps @returns {AccountStep} */
const mfaStep = (steps) => ({
  name: 'mfa',
  title: 'Enter your code',
  hint: 'Open your authenticator app and enter the 6-digit code it shows for Gather.',
  submit: 'Verify',
  fields: () => [codeField(steps, 'Code', 6)],
  busy: 'Verifying…',
  run: async () => steps.after(await steps.auth.answerChallenge(challenge(steps), { code: valueOf(steps, 'code') })),
});

/** The challenge the step answers (StepForm.after keeps it). @param {StepForm} steps */
function challenge(steps) {
  if (!steps.state.challenge) throw new Error('No sign-in challenge to answer');
  return steps.state.challenge;
}
