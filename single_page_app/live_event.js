// An event kept current on its page: a copy of its live fields (a live update, a mutation's answer, a fresh read)
// merged into the one shown. The live fields are operations.js's Live fragment, what onEventChanged carries.
import { fieldsOf } from './operations.js';

export const LIVE_FIELDS = /** @type {LiveField[]} */ (fieldsOf('Live').filter((name) => name !== 'id'));
/** The live fields a full copy may hold null in, meaning cleared. @type {readonly string[]} */
const CLEARABLE = /** @satisfies {NullableField<LiveFragment>[]} */ (['description']);
const REQUIRED = LIVE_FIELDS.filter((name) => !CLEARABLE.includes(name));

/**
 * Equal as JSON values: a list or object field is unchanged when its contents are.
 * @param {unknown} a @param {unknown} b
 * @returns {boolean}
 */
export function same(a, b) {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  const [one, other] = /** @type {Record<string, unknown>[]} */ ([a, b]);
  const keys = Object.keys(one);
  return keys.length === Object.keys(other).length && keys.every((key) => key in other && same(one[key], other[key]));
}

/**
 * Merges a copy of the event's live fields into `event`; returns the names that changed. A null field is one the
 * mutation did not select, except in a full copy, where a null clearable field (description) was cleared. A copy
 * older than what the page shows changes nothing.
 * @param {LiveFragment} event @param {Partial<LiveFragment> | null | undefined} copy
 */
export function merge(event, copy) {
  if (!copy || (copy.version != null && copy.version < event.version)) return [];
  const full = REQUIRED.every((name) => copy[name] != null);
  /** @type {Record<string, unknown>} */
  const shown = event;
  /** @type {LiveField[]} */
  const changed = [];
  for (const name of LIVE_FIELDS) {
    const value = copy[name] ?? null;
    if (value === null && !(full && CLEARABLE.includes(name))) continue;
    if (!same(value, shown[name] ?? null)) {
      shown[name] = value;
      changed.push(name);
    }
  }
  return changed;
}
