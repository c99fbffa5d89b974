// "/new" and "/events/<id>/edit": one form. Every field is checked against config.json before sending, and every
// problem shown at once; the API's own errors land on the field they name.
import { h, fill, busy, isBusy, notice, say, setTitle } from '../dom.js';
import { changedFields, checkEvent, extraFields, textOf } from '../event_input.js';
import { isoToLocalInput, localInputToIso, viewerTimeZone } from '../format.js';
import { describe, errorTypeOf, fieldLabel, fieldOf, humanize, needsSignIn } from '../messages.js';
import { when } from '../components/when.js';
import { may, whoMay } from '../permissions.js';

/**
 * A control for an editable field the form has none of its own for, by its kind (config.json's editableFieldKinds).
 * @param {string} name @param {Config['editableFieldKinds'][string]} kind @returns {FormField<string>}
 */
function extraField(name, kind) {
  const label = fieldLabel(name);
  const type = kind === 'number' ? { type: 'number', step: 1, inputmode: 'numeric' } : { type: 'text' };
  const hint = kind === 'list' ? 'Separated by commas.' : null;
  return { name, label: label.charAt(0).toUpperCase() + label.slice(1), tag: 'input', attrs: type, hint };
}

/**
 * The event's editable fields (config.json's editableFields, in this order), with the API's limits.
 * @param {Config} config @returns {FormField<string>[]}
 */
function fieldsFor(config) {
  const { editableFields, editableFieldKinds, limits } = config;
  const text = limits.textMaxLength;
  /** @type {FormField[]} */
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

/**
 * The IANA zones the browser knows, with `current` among them.
 * @param {string} current
 */
function zoneOptions(current) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([current, 'UTC', ...zones])].sort().map((zone) => h('option', { value: zone }, zone.replace(/_/g, ' ')));
}

/**
 * The form's values as its controls hold them, the extra fields' too.
 * @param {DetailFragment | null} event @param {Config} config @returns {EventFormValues}
 */
function valuesOf(event, config) {
  const timeZone = event?.timeZone ?? viewerTimeZone();
  // A cast: the extra fields are config.json's, so the schema's types cannot know the form holds them.
  return /** @type {EventFormValues} */ ({
    ...Object.fromEntries(extraFields(config).map((name) => [name, textOf(/** @type {Record<string, unknown> | null} */ (event)?.[name])])),
    title: event?.title ?? '',
    description: event?.description ?? '',
    venue: event?.venue ?? '',
    timeZone,
    startsAt: event ? isoToLocalInput(event.startsAt, timeZone) : '',
    endsAt: event ? isoToLocalInput(event.endsAt, timeZone) : '',
    capacity: event ? String(event.capacity) : '',
  });
}

/** @param {HTMLElement} main @param {ViewContext} ctx @param {DetailFragment} event */
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
      offerSignIn ? { label: 'Sign in', onclick: () => requestSignIn() } : null,
    ),
  );
}

/**
 * "/new" for a signed-out visitor: the event will be theirs, so they sign in first.
 * @param {HTMLElement} main @param {ViewContext} ctx
 */
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

/** @param {HTMLElement} main @param {ViewContext} ctx */
export async function renderForm(main, ctx) {
  const { id, auth, config, signal } = ctx;
  setTitle(id ? 'Edit event' : 'New event');
  let stopWatching = () => {};
  const again = () => {
    stopWatching();
    renderForm(main, ctx); // at once, so the visitor who just signed in lands in the form (a failure: app.js)
  };
  /** @param {(user: User | null) => void} listener */
  const watch = (listener) => {
    stopWatching = auth.onChange(listener);
    signal.addEventListener('abort', stopWatching);
  };
  if (!id) {
    if (auth.currentUser()) return renderEventForm(main, ctx, null, again);
    // Once signed in (here or in another tab), the form; signing out later keeps it, and saving asks again.
    watch((user) => {
      if (user && !signal.aborted) again();
    });
    return renderSignInFirst(main, ctx);
  }
  const event = await loadEvent(main, ctx, id);
  if (!event) return;
  // Signing in or out (here or in another tab) can change who may edit: show what now applies,
  // keeping a form that may still be saved as it is.
  const allowed = may(config, auth.currentUser(), 'updateEvent', { event });
  watch((user) => {
    if (allowed && may(config, user, 'updateEvent', { event })) return;
    if (!signal.aborted) again();
  });
  if (allowed) renderEventForm(main, ctx, event, again);
  else renderNotAllowed(main, ctx, event);
}

/**
 * The event to edit, or null once the page says why there is none (or the visitor has moved on).
 * @param {HTMLElement} main @param {ViewContext} ctx @param {string} id
 */
async function loadEvent(main, { api, signal, refresh }, id) {
  fill(main, h('p', { class: 'muted', role: 'status' }, 'Loading event…'));
  let event;
  try {
    event = await api.getEvent(id, { signal });
  } catch (error) {
    if (!signal.aborted) {
      fill(main, h('h1', null, 'Edit event'), notice('error', describe(error), { label: 'Try again', onclick: refresh }));
    }
    return null;
  }
  if (signal.aborted) return null;
  if (!event) {
    fill(
      main,
      h('h1', null, 'Event not found'),
      h('p', null, 'This event does not exist, or it was removed. ', h('a', { href: '/' }, 'See upcoming events')),
    );
  }
  return event;
}

/**
 * The form's controls by field, each with its error line, and the times' preview after "Ends".
 * @param {Config} config @param {EventFormValues} initial the extra fields' values too
 */
function formControls(config, initial) {
  /** @type {Map<string, FormControl>} */
  const controls = new Map();
  /** @type {Map<string, HTMLElement>} */
  const errors = new Map();
  // The times as the event page will show them: in the chosen zone, and the visitor's own when that differs.
  const preview = h('p', { class: 'when when-preview', 'aria-live': 'polite' });
  function showPreview() {
    const timeZone = controls.get('timeZone')?.value ?? initial.timeZone;
    const startsAt = localInputToIso(controls.get('startsAt')?.value, timeZone);
    const endsAt = localInputToIso(controls.get('endsAt')?.value, timeZone);
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
    control.value = /** @type {Partial<Record<string, string>>} */ (initial)[name] ?? ''; // an extra field's too
    controls.set(name, control);
    const error = h('p', { class: 'field-error', id: `${name}-error`, hidden: true });
    errors.set(name, error);
    if (['startsAt', 'endsAt', 'timeZone'].includes(name)) control.addEventListener('input', showPreview);
    const field = h(
      'div',
      { class: 'field' },
      h('label', { for: `field-${name}` }, label),
      hintId && h('p', { class: 'hint', id: hintId }, hintText),
      control,
      error,
    );
    return name === 'endsAt' ? [field, preview] : field;
  });
  showPreview();
  /**
   * Shows every field's message (none clears it), and focuses the first field that has one.
   * @param {Partial<Record<string, string>>} messages
   */
  function showErrors(messages) {
    let first = null;
    for (const [name, control] of controls) {
      const message = messages[name];
      const error = /** @type {HTMLElement} */ (errors.get(name));
      error.textContent = message ?? '';
      error.hidden = !message;
      if (message) {
        control.setAttribute('aria-invalid', 'true');
        first ??= control;
      } else control.removeAttribute('aria-invalid');
    }
    first?.focus();
  }
  /** @returns {EventFormValues} */
  const values = () => ({ ...initial, ...Object.fromEntries([...controls].map(([name, control]) => [name, control.value])) });
  return { fields, controls, showErrors, values };
}

/**
 * The form itself: checked against config.json, then sent (createEvent, or updateEvent with what changed).
 * @param {HTMLElement} main @param {ViewContext} ctx @param {DetailFragment | null} event the event edited, if any
 * @param {() => void} again draws the form afresh (the latest version, after a conflict)
 */
function renderEventForm(main, ctx, event, again) {
  const { config } = ctx;
  const { fields, controls, showErrors, values } = formControls(config, valuesOf(event, config));
  const status = h('div', { class: 'live', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button' }, event ? 'Save changes' : 'Create event');
  const cancelHref = event ? `/events/${encodeURIComponent(event.id)}` : '/';
  /** @param {SubmitEvent} [submitEvent] */
  async function save(submitEvent) {
    submitEvent?.preventDefault();
    if (isBusy(submit)) return;
    say(status, null);
    const { input, errors } = checkEvent(values(), config, { current: event });
    if (errors) {
      showErrors(Object.fromEntries(Object.entries(errors).map(([name, message]) => [name, humanize(message)])));
      return;
    }
    showErrors({});
    let request;
    if (event) {
      const changed = changedFields(input, { ...event, description: event.description ?? null });
      if (!Object.keys(changed).length) return say(status, 'info', 'Nothing has changed yet.');
      request = () => ctx.api.updateEvent({ id: event.id, expectedVersion: event.version, ...changed });
    } else {
      request = () => ctx.api.createEvent(input);
    }
    await send(ctx, { editing: Boolean(event), submit, status, again, retry: save }, request, (field, message) => {
      if (!controls.has(field)) return false;
      showErrors({ [field]: message });
      return true;
    });
  }
  fill(
    main,
    h('p', { class: 'back' }, h('a', { href: cancelHref }, event ? '← Back to the event' : '← All events')),
    h('h1', null, event ? `Edit “${event.title}”` : 'New event'),
    h(
      'form',
      { class: 'event-form', novalidate: true, 'aria-label': event ? 'Edit event' : 'New event', onsubmit: save },
      ...fields,
      status,
      h('div', { class: 'actions' }, submit, h('a', { href: cancelHref, class: 'button secondary' }, 'Cancel')),
    ),
  );
}

/**
 * Sends the checked form (signing in first if the session ended), then opens the saved event; a failure lands on
 * the field it names (`showField` says whether the form has it) or in the form's status, with what to do next.
 * @param {ViewContext} ctx
 * @param {{editing: boolean, submit: HTMLElement, status: HTMLElement, again: () => void, retry: () => unknown}} form
 * @param {() => Promise<{id: string}>} request
 * @param {(field: string, message: string) => boolean} showField
 */
async function send({ auth, config, signal, navigate, requestSignIn }, form, request, showField) {
  const { editing, submit, status, again, retry } = form;
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
    if (field && showField(field, describe(error))) return;
    let action = null;
    user = auth.currentUser(); // null if the session ended meanwhile (the request then went without it)
    const conflict = errorTypeOf(error) === 'VersionConflict';
    if (conflict) {
      action = { label: 'Load the latest version', onclick: again };
    } else if (needsSignIn(error, user) && auth.canSignIn()) {
      action = { label: 'Sign in', onclick: async () => (await requestSignIn()) && retry() };
    }
    const message = conflict
      ? `${describe(error)} Load the latest version to edit it (your changes here will be replaced).`
      : describe(error, user, { Unauthorized: `Only ${whoMay(config, 'updateEvent')} can change this event.` });
    say(status, 'error', message, action);
  }
}
