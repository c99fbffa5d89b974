// "/new" and "/events/<id>/edit": one form. Every field is checked against config.json before sending, and every
// problem shown at once; the API's own errors land on the field they name.
import { h, fill, busy, isBusy, notice, say, setTitle } from '../dom.js';
import { changedFields, checkEvent, extraFields, textOf } from '../event_input.js';
import { isoToLocalInput, localInputToIso, viewerTimeZone } from '../format.js';
import { describe, fieldLabel, fieldOf, humanize, needsSignIn } from '../messages.js';
import { when } from '../components/when.js';
import { may, whoMay } from '../permissions.js';

/** A control for an editable field the form has none of its own for, by its kind (config.json's editableFieldKinds). */
function extraField(name, kind) {
  const label = fieldLabel(name);
  const type = kind === 'number' ? { type: 'number', step: 1, inputmode: 'numeric' } : { type: 'text' };
  const hint = kind === 'list' ? 'Separated by commas.' : null;
  return { name, label: label.charAt(0).toUpperCase() + label.slice(1), tag: 'input', attrs: type, hint };
}

/** The event's editable fields (config.json's editableFields, in this order), with the API's limits. */
function fieldsFor(config) {
  const { editableFields, editableFieldKinds, limits } = config;
  const text = limits.textMaxLength;
  const all = [
    { name: 'title', label: 'Title', tag: 'input', attrs: { type: 'text', maxlength: text.title, required: true } },
    {
      name: 'description',
      label: 'Description',
      tag: 'textarea',
      attrs: { rows: 5, maxlength: text.description },
      hint: 'Optional.',
    },
    { name: 'venue', label: 'Venue', tag: 'input', attrs: { type: 'text', maxlength: text.venue, required: true } },
    {
      name: 'timeZone',
      label: 'Time zone',
      tag: 'select',
      attrs: { required: true },
      hint: 'Where the event happens: its times are shown in this zone.',
    },
    { name: 'startsAt', label: 'Starts', tag: 'input', attrs: { type: 'datetime-local', required: true } },
    { name: 'endsAt', label: 'Ends', tag: 'input', attrs: { type: 'datetime-local', required: true } },
    {
      name: 'capacity',
      label: 'Capacity',
      tag: 'input',
      attrs: {
        type: 'number',
        min: limits.capacity.min,
        max: limits.capacity.max,
        step: 1,
        inputmode: 'numeric',
        required: true,
      },
      hint: 'How many seats there are.',
    },
  ];
  const extras = extraFields(config).map((name) => extraField(name, editableFieldKinds[name]));
  return [...all.filter(({ name }) => editableFields.includes(name)), ...extras];
}

/** The IANA zones the browser knows, with `current` among them. */
function zoneOptions(current) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([current, 'UTC', ...zones])].sort().map((zone) => h('option', { value: zone }, zone.replace(/_/g, ' ')));
}

function valuesOf(event, config) {
  const timeZone = event?.timeZone ?? viewerTimeZone();
  return {
    ...Object.fromEntries(extraFields(config).map((name) => [name, textOf(event?.[name])])),
    title: event?.title ?? '',
    description: event?.description ?? '',
    venue: event?.venue ?? '',
    timeZone,
    startsAt: event ? isoToLocalInput(event.startsAt, timeZone) : '',
    endsAt: event ? isoToLocalInput(event.endsAt, timeZone) : '',
    capacity: event ? String(event.capacity) : '',
  };
}

function renderNotAllowed(main, { auth, config, requestSignIn }, event) {
  const user = auth.currentUser();
  const path = `/events/${encodeURIComponent(event.id)}`;
  const offerSignIn = !user && auth.canSignIn();
  fill(
    main,
    h('p', { class: 'back' }, h('a', { href: path }, '← Back to the event')),
    h('h1', null, `Edit “${event.title}”`),
    notice(
      'info',
      user
        ? `Only ${whoMay(config, 'updateEvent')} can edit it. You are signed in as ${user.displayName}.`
        : `Sign in as ${whoMay(config, 'updateEvent')} to edit it.`,
      offerSignIn ? { label: 'Sign in', onclick: requestSignIn } : null,
    ),
  );
}

/** "/new" for a signed-out visitor: the event will be theirs, so they sign in first. */
function renderSignInFirst(main, { auth, requestSignIn }) {
  fill(
    main,
    h('p', { class: 'back' }, h('a', { href: '/' }, '← All events')),
    h('h1', null, 'New event'),
    notice(
      'info',
      auth.canSignIn() ? 'Sign in to create an event. You will be its host.' : 'Signing in is not available here.',
      auth.canSignIn() ? { label: 'Sign in', onclick: signInThenFill } : null,
    ),
  );
  // Signing in renders the form (auth.onChange); the visitor carries on in its first field.
  async function signInThenFill() {
    if (await requestSignIn()) document.getElementById('field-title')?.focus();
  }
}

export async function renderForm(main, ctx) {
  const { id, api, auth, config, signal, navigate, requestSignIn } = ctx;
  const editing = Boolean(id);
  setTitle(editing ? 'Edit event' : 'New event');
  let event = null;
  let stopWatching = () => {};
  const again = () => {
    stopWatching();
    renderForm(main, ctx); // at once, so the visitor who just signed in lands in the form (a failure: app.js)
  };
  if (editing) {
    fill(main, h('p', { class: 'muted', role: 'status' }, 'Loading event…'));
    try {
      event = await api.getEvent(id, { signal });
    } catch (error) {
      if (signal.aborted) return;
      fill(
        main,
        h('h1', null, 'Edit event'),
        notice('error', describe(error), { label: 'Try again', onclick: ctx.refresh }),
      );
      return;
    }
    if (signal.aborted) return;
    if (!event) {
      fill(
        main,
        h('h1', null, 'Event not found'),
        h('p', null, 'This event does not exist, or it was removed. ', h('a', { href: '/' }, 'See upcoming events')),
      );
      return;
    }
    // Signing in or out (here or in another tab) can change who may edit: show what now applies,
    // keeping a form that may still be saved as it is.
    const allowed = may(config, auth.currentUser(), 'updateEvent', { event });
    stopWatching = auth.onChange((user) => {
      if (allowed && may(config, user, 'updateEvent', { event })) return;
      if (!signal.aborted) again();
    });
    signal.addEventListener('abort', stopWatching);
    if (!allowed) {
      renderNotAllowed(main, ctx, event);
      return;
    }
  } else if (!auth.currentUser()) {
    // Once signed in (here or in another tab), the form; signing out later keeps it, and saving asks again.
    stopWatching = auth.onChange((user) => {
      if (user && !signal.aborted) again();
    });
    signal.addEventListener('abort', stopWatching);
    renderSignInFirst(main, ctx);
    return;
  }

  const initial = valuesOf(event, config);
  const controls = {};
  const errorsShown = {};
  const formStatus = h('div', { class: 'live', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button' }, editing ? 'Save changes' : 'Create event');
  const cancelHref = editing ? `/events/${encodeURIComponent(event.id)}` : '/';

  // The times as the event page will show them: in the chosen zone, and the visitor's own when that differs.
  const preview = h('p', { class: 'when when-preview', 'aria-live': 'polite' });
  function showPreview() {
    const timeZone = controls.timeZone?.value ?? initial.timeZone;
    const startsAt = localInputToIso(controls.startsAt?.value, timeZone);
    const endsAt = localInputToIso(controls.endsAt?.value, timeZone);
    fill(preview, startsAt && when({ startsAt, endsAt: endsAt ?? startsAt, timeZone }, { end: Boolean(endsAt), now: false }));
  }

  const fields = fieldsFor(config).map(({ name, label, tag, attrs, hint }) => {
    const hintText = name.endsWith('At') ? 'In the event’s time zone.' : hint;
    const hintId = hintText ? `${name}-hint` : null;
    const control = h(tag, {
      id: `field-${name}`,
      name,
      ...attrs,
      'aria-describedby': [hintId, `${name}-error`].filter(Boolean).join(' '),
    }, name === 'timeZone' ? zoneOptions(initial.timeZone) : null);
    control.value = initial[name];
    controls[name] = control;
    errorsShown[name] = h('p', { class: 'field-error', id: `${name}-error`, hidden: true });
    if (['startsAt', 'endsAt', 'timeZone'].includes(name)) control.addEventListener('input', showPreview);
    const field = h(
      'div',
      { class: 'field' },
      h('label', { for: `field-${name}` }, label),
      hintId && h('p', { class: 'hint', id: hintId }, hintText),
      control,
      errorsShown[name],
    );
    return name === 'endsAt' ? [field, preview] : field;
  });
  showPreview();

  function showErrors(messages) {
    let first = null;
    for (const name of Object.keys(controls)) {
      const message = messages[name];
      errorsShown[name].textContent = message ?? '';
      errorsShown[name].hidden = !message;
      if (message) {
        controls[name].setAttribute('aria-invalid', 'true');
        first ??= controls[name];
      } else controls[name].removeAttribute('aria-invalid');
    }
    first?.focus();
    return first;
  }

  async function save(submitEvent) {
    submitEvent?.preventDefault();
    if (isBusy(submit)) return;
    say(formStatus, null);
    const values = Object.fromEntries(Object.entries(controls).map(([name, control]) => [name, control.value]));
    const { input, errors } = checkEvent(values, config, { current: event });
    if (errors) {
      showErrors(Object.fromEntries(Object.entries(errors).map(([name, message]) => [name, humanize(message)])));
      return;
    }
    showErrors({});
    let request;
    if (editing) {
      const changed = changedFields(input, { ...event, description: event.description ?? null });
      if (!Object.keys(changed).length) {
        say(formStatus, 'info', 'Nothing has changed yet.');
        return;
      }
      request = () => api.updateEvent({ id: event.id, expectedVersion: event.version, ...changed });
    } else {
      request = () => api.createEvent(input);
    }
    let user = auth.currentUser();
    if (!user && auth.canSignIn()) {
      user = await requestSignIn(); // signed out meanwhile: the event needs a host
      if (!user || signal.aborted) return;
    }
    try {
      const saved = await busy(submit, editing ? 'Saving…' : 'Creating…', request);
      if (signal.aborted) return; // the visitor has moved on; do not pull them back
      navigate(`/events/${encodeURIComponent(saved.id)}`, { flash: editing ? 'Changes saved.' : 'Event created.' });
    } catch (error) {
      if (signal.aborted) return;
      const field = fieldOf(error);
      if (field && field in controls) {
        showErrors({ [field]: describe(error) });
        return;
      }
      let action = null;
      user = auth.currentUser(); // null if the session ended meanwhile (the request then went without it)
      if (error.errorType === 'VersionConflict') {
        action = { label: 'Load the latest version', onclick: again };
      } else if (needsSignIn(error, user) && auth.canSignIn()) {
        action = { label: 'Sign in', onclick: async () => (await requestSignIn()) && save() };
      }
      const message =
        error.errorType === 'VersionConflict'
          ? `${describe(error)} Load the latest version to edit it (your changes here will be replaced).`
          : describe(error, user, { Unauthorized: `Only ${whoMay(config, 'updateEvent')} can change this event.` });
      say(formStatus, 'error', message, action);
    }
  }

  fill(
    main,
    h('p', { class: 'back' }, h('a', { href: cancelHref }, editing ? '← Back to the event' : '← All events')),
    h('h1', null, editing ? `Edit “${event.title}”` : 'New event'),
    h(
      'form',
      { class: 'event-form', novalidate: true, 'aria-label': editing ? 'Edit event' : 'New event', onsubmit: save },
      ...fields,
      formStatus,
      h('div', { class: 'actions' }, submit, h('a', { href: cancelHref, class: 'button secondary' }, 'Cancel')),
    ),
  );
}
