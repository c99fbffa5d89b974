// The event's editable fields the page has no place of its own for (config.json's editableFields beyond the SPA's
// own), each a row of the facts under its label: a field added to the API shows on the event page, and follows live
// updates, with no change to the page.
import { h } from '../dom.js';
import { extraFields, textOf } from '../event_input.js';
import { fieldLabel } from '../messages.js';

/** @param {string} text */
const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A row (dt, dd) per extra field, for the facts list, and `show(event)` to fill them (a row without a value hides).
 * @param {Config} config
 */
export function extraFacts(config) {
  const fields = extraFields(config).map((name) => {
    const value = h('dd', { 'data-field': name });
    return { name, value, row: h('div', { hidden: true }, h('dt', null, capitalized(fieldLabel(name))), value) };
  });
  return {
    rows: fields.map(({ row }) => row),
    /** @param {Record<string, unknown>} event */
    show(event) {
      for (const { name, value, row } of fields) {
        value.textContent = textOf(event[name]);
        row.hidden = !value.textContent;
      }
    },
  };
}
