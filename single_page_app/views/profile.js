// "/account": the signed-in user's display name (changed through the API), two-step sign-in with an authenticator
// app (Cognito's AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference), the seats they hold, sign out.
import { h, fill, busy, isBusy, say, setTitle } from '../dom.js';
import { describe, errorTypeOf, fieldOf, humanize } from '../messages.js';
import { textProblem } from '../text_input.js';
import { dateTile, when } from '../components/when.js';

/** @param {unknown} failure a failed Cognito call (auth.js SignInError) or a network failure */
const messageOf = (failure) => (failure instanceof Error ? failure.message : String(failure));

/** @param {HTMLElement} main @param {ViewContext} ctx */
export function renderProfile(main, ctx) {
  const { auth, signal } = ctx;
  setTitle('Your account');
  const user = auth.currentUser();
  if (!user) {
    renderSignedOut(main, ctx);
    return;
  }
  const stop = auth.onChange(() => ctx.refresh());
  signal.addEventListener('abort', stop);
  const mfa = mfaSection(ctx);
  const seats = seatsSection(ctx, user);
  fill(
    main,
    h('h1', null, 'Your account'),
    h('p', { class: 'muted' }, 'Signed in as ', h('strong', { class: 'username' }, user.username), '.'),
    displayNameForm(ctx, user),
  );
  // The sections whose content arrives later are added together once it has, below what is already drawn,
  // so nothing a visitor is reading moves when a list grows (no layout shift).
  const signOut = h('button', { type: 'button', class: 'button secondary', onclick: () => auth.signOut() }, 'Sign out');
  Promise.allSettled([seats.loaded, mfa.loaded]).then(() => {
    if (!signal.aborted) main.append(seats.section, mfa.section, h('div', { class: 'actions' }, signOut));
  });
}

/** @param {HTMLElement} main @param {ViewContext} ctx */
function renderSignedOut(main, { auth, requestSignIn, refresh, signal }) {
  fill(
    main,
    h('h1', null, 'Your account'),
    h('p', null, 'Sign in to see your account.'),
    auth.canSignIn() && h('button', { type: 'button', class: 'button', onclick: () => requestSignIn() }, 'Sign in'),
  );
  const stop = auth.onChange((now) => now && refresh());
  signal.addEventListener('abort', stop);
}

/**
 * The name others see, checked against config.json before it is sent; saved through the API (setDisplayName).
 * @param {ViewContext} ctx @param {User} user
 */
function displayNameForm({ api, auth, profile, config }, user) {
  const input = h('input', {
    id: 'display-name',
    name: 'displayName',
    maxlength: config.limits.textMaxLength.displayName,
    autocomplete: 'nickname',
    value: profile.displayName(user),
    'aria-describedby': 'display-name-hint display-name-error',
  });
  const error = h('p', { class: 'field-error', id: 'display-name-error', role: 'alert', hidden: true });
  const status = h('div', { class: 'live', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button' }, 'Save name');
  /** @param {string | null} message */
  function showError(message) {
    error.textContent = message ?? '';
    error.hidden = !message;
    if (!message) return input.removeAttribute('aria-invalid');
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  /** @param {SubmitEvent} event */
  async function save(event) {
    event.preventDefault();
    if (isBusy(button)) return;
    say(status, null);
    const problem = textProblem('displayName', input.value, config);
    showError(problem && humanize(problem));
    if (problem) return;
    try {
      const me = await busy(button, 'Saving…', () => api.setDisplayName(input.value));
      profile.remember(me);
      input.value = me.displayName;
      say(status, 'success', 'Your display name is saved.');
    } catch (failure) {
      if (fieldOf(failure) === 'displayName' || errorTypeOf(failure) === 'ValidationError') {
        showError(describe(failure));
      } else say(status, 'error', describe(failure, auth.currentUser()));
    }
  }
  return h(
    'form',
    { class: 'event-form', novalidate: true, 'aria-labelledby': 'name-title', onsubmit: save },
    h('h2', { id: 'name-title' }, 'Display name'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'display-name' }, 'Name others see'),
      h('p', { class: 'hint', id: 'display-name-hint' }, 'Shown on the events you host and the comments you write.'),
      input,
      error,
    ),
    h('div', { class: 'actions' }, button),
    status,
  );
}

/**
 * Two-step sign-in: off (with a way to set it up), the enrolment with the app's setup key, or on.
 * @param {ViewContext} ctx
 */
function mfaSection({ auth, signal }) {
  const body = h('div', null, h('p', { class: 'muted' }, 'Checking…'));
  const section = h(
    'section',
    { class: 'event-form', 'aria-labelledby': 'mfa-title' },
    h('h2', { id: 'mfa-title' }, 'Two-step sign-in'),
    body,
  );

  function showOff() {
    const start = h('button', { type: 'button', class: 'button' }, 'Set up an authenticator app');
    const status = h('div', { class: 'live', 'aria-live': 'polite' });
    fill(
      body,
      h('p', null, 'Off. Add a code from an authenticator app to every sign-in, so a password alone is not enough.'),
      h('div', { class: 'actions' }, start),
      status,
    );
    start.addEventListener('click', async () => {
      if (isBusy(start)) return;
      say(status, null);
      try {
        const { secret, uri } = await busy(start, 'Starting…', () => auth.startTotpEnrolment());
        const { form, code } = enrolment(auth, secret, uri, showOn);
        fill(body, form);
        code.focus();
      } catch (failure) {
        say(status, 'error', messageOf(failure));
      }
    });
  }

  /** @param {string} [message] */
  function showOn(message) {
    const status = h('div', { class: 'live', 'aria-live': 'polite' });
    fill(body, h('p', null, 'On: signing in asks for a code from your authenticator app.'), status);
    if (message) say(status, 'success', message);
  }

  const loaded = auth
    .totpEnabled()
    .then((enabled) => (enabled ? showOn() : showOff()))
    .catch((failure) => {
      if (!signal.aborted) fill(body, h('p', { class: 'field-error' }, messageOf(failure)));
    });
  return { section, loaded };
}

/**
 * The setup key for the authenticator app, and the code that proves it was added (its input, to focus); `done`
 * once it is on.
 * @param {Auth} auth @param {string} secret @param {string} uri @param {(message: string) => void} done
 */
function enrolment(auth, secret, uri, done) {
  const code = h('input', {
    id: 'totp-code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    maxlength: 6,
    'aria-describedby': 'totp-error',
  });
  const error = h('p', { class: 'field-error', id: 'totp-error', role: 'alert', hidden: true });
  const verify = h('button', { type: 'submit', class: 'button' }, 'Turn on');
  /** @param {SubmitEvent} event */
  async function turnOn(event) {
    event.preventDefault();
    if (isBusy(verify)) return;
    error.hidden = true;
    try {
      await busy(verify, 'Checking…', () => auth.finishTotpEnrolment(code.value));
      done('Two-step sign-in is on. Next time you sign in, enter a code from your app.');
    } catch (failure) {
      error.textContent = messageOf(failure);
      error.hidden = false;
      code.setAttribute('aria-invalid', 'true');
      code.focus();
    }
  }
  const form = h(
    'form',
    { novalidate: true, onsubmit: turnOn },
    h('p', null, 'In your authenticator app, add an account with this setup key (time-based):'),
    h('p', null, h('code', { class: 'secret', id: 'totp-secret' }, secret)),
    h('p', { class: 'hint' }, 'Or paste this link into an app that accepts one: ', h('code', { class: 'secret' }, uri)),
    h('div', { class: 'field' }, h('label', { for: 'totp-code' }, 'Code from the app'), code, error),
    h('div', { class: 'actions' }, verify),
  );
  return { form, code };
}

/**
 * The seats the user holds, soonest first (myRsvps).
 * @param {ViewContext} ctx @param {User} user
 */
function seatsSection({ api, signal }, user) {
  const seats = h('ul', { class: 'my-rsvps' }, h('li', { class: 'muted' }, 'Loading…'));
  /** @param {SummaryFragment} event */
  const seat = (event) =>
    h(
      'li',
      { class: 'my-seat' },
      dateTile(event),
      h(
        'div',
        null,
        h('a', { href: `/events/${encodeURIComponent(event.id)}` }, event.title),
        h('p', { class: 'when' }, when(event, { end: false })),
      ),
    );
  const loaded = api
    .myRsvps({ signal })
    .then((page) => {
      if (signal.aborted) return;
      const none = h('li', { class: 'muted' }, 'No seats yet. ', h('a', { href: '/' }, 'Find an event'));
      fill(seats, ...(page.items.length ? page.items.map(seat) : [none]));
    })
    .catch((failure) => {
      if (!signal.aborted) fill(seats, h('li', { class: 'field-error' }, describe(failure, user)));
    });
  const section = h(
    'section',
    { class: 'event-form', 'aria-labelledby': 'seats-title' },
    h('h2', { id: 'seats-title' }, 'Your upcoming seats'),
    seats,
  );
  return { section, loaded };
}
