// "/account": the signed-in user's display name (changed through the API), two-step sign-in with an authenticator
// app (Cognito's AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference), the seats they hold, sign out.
import { h, fill, busy, isBusy, say, setTitle } from '../dom.js';
import { describe, fieldOf } from '../messages.js';
import { dateTile, when } from '../components/when.js';

export function renderProfile(main, ctx) {
  const { api, auth, profile, signal, requestSignIn, config } = ctx;
  setTitle('Your account');
  const user = auth.currentUser();
  if (!user) {
    fill(
      main,
      h('h1', null, 'Your account'),
      h('p', null, 'Sign in to see your account.'),
      auth.canSignIn() && h('button', { type: 'button', class: 'button', onclick: () => requestSignIn() }, 'Sign in'),
    );
    const stop = auth.onChange((now) => now && ctx.refresh());
    signal.addEventListener('abort', stop);
    return;
  }
  const stop = auth.onChange(() => ctx.refresh());
  signal.addEventListener('abort', stop);

  // Display name.
  const nameInput = h('input', {
    id: 'display-name',
    name: 'displayName',
    maxlength: config.limits.textMaxLength.displayName,
    autocomplete: 'nickname',
    value: profile.displayName(user),
    'aria-describedby': 'display-name-hint display-name-error',
  });
  const nameError = h('p', { class: 'field-error', id: 'display-name-error', role: 'alert', hidden: true });
  const nameStatus = h('div', { class: 'live', 'aria-live': 'polite' });
  const nameButton = h('button', { type: 'submit', class: 'button' }, 'Save name');
  const nameForm = h(
    'form',
    { class: 'event-form', novalidate: true, 'aria-labelledby': 'name-title' },
    h('h2', { id: 'name-title' }, 'Display name'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'display-name' }, 'Name others see'),
      h('p', { class: 'hint', id: 'display-name-hint' }, 'Shown on the events you host and the comments you write.'),
      nameInput,
      nameError,
    ),
    h('div', { class: 'actions' }, nameButton),
    nameStatus,
  );
  nameForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(nameButton)) return;
    nameError.hidden = true;
    nameInput.removeAttribute('aria-invalid');
    say(nameStatus, null);
    try {
      const me = await busy(nameButton, 'Saving…', () => api.setDisplayName(nameInput.value));
      profile.remember(me);
      nameInput.value = me.displayName;
      say(nameStatus, 'success', 'Your display name is saved.');
    } catch (error) {
      if (fieldOf(error) === 'displayName' || error.errorType === 'ValidationError') {
        nameError.textContent = describe(error);
        nameError.hidden = false;
        nameInput.setAttribute('aria-invalid', 'true');
        nameInput.focus();
      } else say(nameStatus, 'error', describe(error, auth.currentUser()));
    }
  });

  // Two-step sign-in.
  const mfaBody = h('div', null, h('p', { class: 'muted' }, 'Checking…'));
  const mfaSection = h(
    'section',
    { class: 'event-form', 'aria-labelledby': 'mfa-title' },
    h('h2', { id: 'mfa-title' }, 'Two-step sign-in'),
    mfaBody,
  );

  function showMfaOff() {
    const start = h('button', { type: 'button', class: 'button' }, 'Set up an authenticator app');
    const status = h('div', { class: 'live', 'aria-live': 'polite' });
    fill(
      mfaBody,
      h('p', null, 'Off. Add a code from an authenticator app to every sign-in, so a password alone is not enough.'),
      h('div', { class: 'actions' }, start),
      status,
    );
    start.addEventListener('click', async () => {
      if (isBusy(start)) return;
      say(status, null);
      try {
        const { secret, uri } = await busy(start, 'Starting…', () => auth.startTotpEnrolment());
        showEnrolment(secret, uri);
      } catch (failure) {
        say(status, 'error', failure.message);
      }
    });
  }

  function showEnrolment(secret, uri) {
    const code = h('input', {
      id: 'totp-code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      maxlength: 6,
      'aria-describedby': 'totp-error',
    });
    const error = h('p', { class: 'field-error', id: 'totp-error', role: 'alert', hidden: true });
    const verify = h('button', { type: 'submit', class: 'button' }, 'Turn on');
    const enrol = h(
      'form',
      { novalidate: true },
      h('p', null, 'In your authenticator app, add an account with this setup key (time-based):'),
      h('p', null, h('code', { class: 'secret', id: 'totp-secret' }, secret)),
      h('p', { class: 'hint' }, 'Or paste this link into an app that accepts one: ', h('code', { class: 'secret' }, uri)),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'totp-code' }, 'Code from the app'),
        code,
        error,
      ),
      h('div', { class: 'actions' }, verify),
    );
    enrol.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (isBusy(verify)) return;
      error.hidden = true;
      try {
        await busy(verify, 'Checking…', () => auth.finishTotpEnrolment(code.value));
        showMfaOn('Two-step sign-in is on. Next time you sign in, enter a code from your app.');
      } catch (failure) {
        error.textContent = failure.message;
        error.hidden = false;
        code.setAttribute('aria-invalid', 'true');
        code.focus();
      }
    });
    fill(mfaBody, enrol);
    code.focus();
  }

  function showMfaOn(message) {
    const status = h('div', { class: 'live', 'aria-live': 'polite' });
    fill(mfaBody, h('p', null, 'On: signing in asks for a code from your authenticator app.'), status);
    if (message) say(status, 'success', message);
  }

  const mfaLoaded = auth
    .totpEnabled()
    .then((enabled) => (enabled ? showMfaOn() : showMfaOff()))
    .catch((failure) => {
      if (!signal.aborted) fill(mfaBody, h('p', { class: 'field-error' }, failure.message));
    });

  // The seats the user holds.
  const seats = h('ul', { class: 'my-rsvps' }, h('li', { class: 'muted' }, 'Loading…'));
  const seatsLoaded = api
    .myRsvps({ signal })
    .then((page) => {
      if (signal.aborted) return;
      fill(
        seats,
        ...(page.items.length
          ? page.items.map((event) =>
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
              ),
            )
          : [h('li', { class: 'muted' }, 'No seats yet. ', h('a', { href: '/' }, 'Find an event'))]),
      );
    })
    .catch((error) => {
      if (!signal.aborted) fill(seats, h('li', { class: 'field-error' }, describe(error, user)));
    });

  fill(
    main,
    h('h1', null, 'Your account'),
    h('p', { class: 'muted' }, 'Signed in as ', h('strong', { class: 'username' }, user.username), '.'),
    nameForm,
  );
  // The sections whose content arrives later are added together once it has, below what is already drawn,
  // so nothing a visitor is reading moves when a list grows (no layout shift).
  const later = [
    h(
      'section',
      { class: 'event-form', 'aria-labelledby': 'seats-title' },
      h('h2', { id: 'seats-title' }, 'Your upcoming seats'),
      seats,
    ),
    mfaSection,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'button secondary', onclick: () => auth.signOut() }, 'Sign out'),
    ),
  ];
  Promise.allSettled([seatsLoaded, mfaLoaded]).then(() => {
    if (!signal.aborted) main.append(...later);
  });
}
