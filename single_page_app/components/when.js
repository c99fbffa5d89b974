// An event's time as every page shows it: in the event's own zone, the visitor's beside it when that differs, and a
// date tile with the day in the event's zone.
import { h } from '../dom.js';
import { dayParts, formatRange, happeningNow } from '../format.js';

/**
 * "Sat, Mar 14, 2031, 6:30 – 8:00 PM GMT+1", then "Your time: …" when the visitor's clock says otherwise.
 * @param {{startsAt: string, endsAt: string, timeZone: string}} event
 * @param {{end?: boolean, now?: boolean}} [options] end: show the end too; now: mark an ongoing event
 */
export function when(event, { end = true, now = true } = {}) {
  const range = formatRange(event.startsAt, end ? event.endsAt : null, event.timeZone);
  return [
    h('time', { datetime: event.startsAt }, range.event),
    range.viewer && h('span', { class: 'viewer-time' }, `Your time: ${range.viewer}`),
    now && happeningNow(event) && h('span', { class: 'now-badge' }, 'Happening now'),
  ];
}

/**
 * The event's day on a calendar leaf. Decorative: the time beside it says the same in words.
 * @param {{startsAt: string, timeZone: string}} event
 */
export function dateTile(event) {
  const { month, day, weekday } = dayParts(event.startsAt, event.timeZone);
  return h(
    'div',
    { class: 'date-tile', 'aria-hidden': 'true' },
    h('span', { class: 'date-tile-month' }, month),
    h('span', { class: 'date-tile-day' }, day),
    h('span', { class: 'date-tile-weekday' }, weekday),
  );
}
