// The event form's values checked against config.json before anything is sent: every field at once, each in the
// API's own words (resolvers/logic/validation.py), then turned into the API's input.
import { localInputToIso } from './format.js';
import { same } from './live_event.js';
import { textProblem } from './text_input.js';

const DAY_MS = 86_400_000;
/** @param {string | null | undefined} iso */
const minute = (iso) => Math.floor(Date.parse(iso ?? '') / 60_000);

/**
 * The editable fields the SPA knows by name: each has its rule below, its own control in the form and its own place on
 * the event page. Any other field config.json lists is entered, checked and shown by its kind alone
 * (editableFieldKinds), so a field added to the API reaches the form and the page with no change to either.
 */
const OWN_FIELDS = /** @type {readonly string[]} */ (
  /** @satisfies {(keyof CreateEventInput)[]} */ (['title', 'description', 'venue', 'timeZone', 'startsAt', 'endsAt', 'capacity'])
);

/**
 * The editable fields config.json lists beyond the SPA's own, in its order.
 * @param {Config} config
 */
export const extraFields = (config) => config.editableFields.filter((name) => !OWN_FIELDS.includes(name));

/**
 * A field's value as its control holds it and the page shows it: a list as comma-separated words, nothing as ''.
 * @param {unknown} value
 */
export const textOf = (value) => (value == null ? '' : Array.isArray(value) ? value.join(', ') : String(value));

/**
 * An extra field's control text as the API's value of its kind (null when blank: the field is cleared), or why not.
 * @param {string} name @param {Config['editableFieldKinds'][string]} kind @param {string} text
 * @returns {{value: string | number | string[] | null, problem?: undefined} | {value?: undefined, problem: string}}
 */
function extraValue(name, kind, text) {
  const cleaned = text.trim();
  if (kind === 'list') {
    const words = cleaned.split(',').map((word) => word.trim()).filter(Boolean);
    return { value: words.length ? words : null };
  }
  if (!cleaned) return { value: null };
  if (kind !== 'number') return { value: cleaned };
  return /^-?\d+$/.test(cleaned) ? { value: +cleaned } : { problem: `${name} must be a whole number` };
}

/**
 * The form's values (strings; times are datetime-local wall times in values.timeZone) → {input} for the API, or
 * {errors}: every field that breaks a rule, with the API's message. `current`: the event being edited, whose start
 * may have passed if the edit leaves it; a start being set must be in the future.
 * @param {EventFormValues} values @param {Config} config
 * @param {{now?: number, current?: {startsAt: string} | null}} [options]
 * @returns {{input: CreateEventInput, errors?: undefined} | {input?: undefined, errors: FieldErrors}}
 */
export function checkEvent(values, config, { now = Date.now(), current = null } = {}) {
  /** @type {FieldErrors} */
  const errors = {};
  /** @param {keyof EventFormValues} name @param {string | null} message */
  const refuse = (name, message) => {
    if (message) errors[name] ??= message;
  };
  refuse('title', textProblem('title', values.title, config));
  refuse('description', textProblem('description', values.description, config, false));
  refuse('venue', textProblem('venue', values.venue, config));
  // The times are wall-clock times in the event's zone: without one they cannot be read (nor be wrong).
  const zone = values.timeZone;
  if (!zone) refuse('timeZone', 'timeZone is required');
  const startsAt = zone ? localInputToIso(values.startsAt, zone) : null;
  const endsAt = zone ? localInputToIso(values.endsAt, zone) : null;
  if (zone && !startsAt) refuse('startsAt', 'startsAt is required');
  if (zone && !endsAt) refuse('endsAt', 'endsAt is required');
  if (startsAt && endsAt) {
    const [start, end, days] = [Date.parse(startsAt), Date.parse(endsAt), config.limits.durationMaxDays];
    if (end <= start) refuse('endsAt', 'endsAt must be after startsAt');
    else if (end - start > days * DAY_MS) refuse('endsAt', `endsAt must be at most ${days} days after startsAt`);
    const startSet = !current || minute(startsAt) !== minute(current.startsAt);
    if (startSet && start < now) refuse('startsAt', 'startsAt must be in the future');
  }
  const capacity = values.capacity.trim();
  const { min, max } = config.limits.capacity;
  if (!capacity) refuse('capacity', 'capacity is required');
  else if (!/^\d+$/.test(capacity)) refuse('capacity', 'capacity must be a whole number');
  else if (+capacity < min || +capacity > max) {
    refuse('capacity', `capacity must be between ${min} and ${max}, not ${+capacity}`);
  }
  /** @type {Record<string, unknown>} */
  const extras = {};
  for (const name of extraFields(config)) {
    const text = /** @type {Record<string, string | undefined>} */ (values)[name] ?? '';
    const { value, problem } = extraValue(name, config.editableFieldKinds[name], text);
    if (problem) refuse(/** @type {keyof EventFormValues} */ (name), problem);
    else extras[name] = value;
  }
  if (Object.keys(errors).length || !startsAt || !endsAt) return { errors };
  const { title, venue, timeZone } = values;
  const description = values.description.trim() ? values.description : null;
  return { input: { title, description, venue, timeZone, startsAt, endsAt, capacity: +capacity, ...extras } };
}

/**
 * The fields of `input` that differ from the event as it is (times to the minute, which is all the form shows).
 * @param {CreateEventInput} input @param {Partial<Record<keyof CreateEventInput, unknown>>} original
 */
export function changedFields(input, original) {
  /** @type {Partial<CreateEventInput>} */
  const changed = {};
  for (const [name, value] of /** @type {[keyof CreateEventInput, any][]} */ (Object.entries(input))) {
    const before = original[name] ?? null;
    const at = name.endsWith('At');
    const unchanged = at ? minute(value) === minute(/** @type {string} */ (before)) : same(value, before);
    if (!unchanged) changed[name] = value;
  }
  return changed;
}
