// Dates in the event's own time zone (IANA, Event.timeZone), with the visitor's own time beside them when it differs,
// always in the language the interface speaks (<html lang>), whatever the browser's own locale; datetime-local
// values to and from AWSDateTime, read as wall-clock time in a given zone.

/** The interface's language: dates read "Sat, Mar 14", never "Sa., 14. März", beside English words. */
export const LANGUAGE = globalThis.document?.documentElement.lang || 'en';

/** @type {Intl.DateTimeFormatOptions} */
const WHEN = {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
};
/** @type {Intl.DateTimeFormatOptions} */
const STAMP = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
/** @type {Intl.DateTimeFormatOptions} */
const TILE = { month: 'short', day: 'numeric', weekday: 'short' };
/** @type {Map<string, Intl.DateTimeFormatOptions>} */
const OPTIONS = new Map([
  ['when', WHEN],
  ['stamp', STAMP],
  ['tile', TILE],
]);
/** @type {Map<string, Intl.DateTimeFormat>} */
const formats = new Map();
const number = new Intl.NumberFormat(LANGUAGE);

/** The visitor's own IANA zone, as the browser knows it. */
export const viewerTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * One formatter per (zone, with zone name?, kind) — building them is the slow part.
 * @param {string | undefined} timeZone @param {boolean} [zoneName] @param {'when' | 'stamp' | 'tile'} [kind]
 * @returns {Intl.DateTimeFormat}
 */
function formatter(timeZone, zoneName = true, kind = 'when') {
  const key = `${timeZone ?? ''}|${zoneName}|${kind}`;
  if (!formats.has(key)) {
    formats.set(
      key,
      new Intl.DateTimeFormat(LANGUAGE, {
        ...OPTIONS.get(kind),
        ...(zoneName ? { timeZoneName: 'short' } : {}),
        ...(timeZone ? { timeZone } : {}),
      }),
    );
  }
  return /** @type {Intl.DateTimeFormat} */ (formats.get(key));
}

/**
 * Whether `timeZone` shows the same wall-clock time as the visitor's own zone at these moments.
 * @param {string} timeZone @param {Date[]} dates
 */
function sameWallTime(timeZone, dates) {
  return dates.every(
    (date) => formatter(timeZone, false).format(date) === formatter(viewerTimeZone(), false).format(date),
  );
}

/**
 * {event, viewer}: the range (or, without an end, the start) in the event's zone, and in the visitor's when that
 * shows a different time (else null).
 * @param {string} startIso @param {string | null} endIso @param {string} timeZone
 * @returns {{event: string, viewer: string | null}}
 */
export function formatRange(startIso, endIso, timeZone) {
  const moments = [new Date(startIso), ...(endIso ? [new Date(endIso)] : [])];
  /** @param {Intl.DateTimeFormat} format */
  const show = (format) => (moments.length === 2 ? format.formatRange(moments[0], moments[1]) : format.format(moments[0]));
  const event = show(formatter(timeZone));
  const viewer = sameWallTime(timeZone, moments) ? null : show(formatter(viewerTimeZone()));
  return { event, viewer };
}

/**
 * The day of an event in its own zone, for a date tile: {month: 'Mar', day: '14', weekday: 'Sat'}.
 * @param {string} iso @param {string} timeZone
 */
export function dayParts(iso, timeZone) {
  const parts = formatter(timeZone, false, 'tile').formatToParts(new Date(iso));
  /** @param {string} type */
  const part = (type) => parts.find((p) => p.type === type)?.value ?? '';
  return { month: part('month'), day: part('day'), weekday: part('weekday') };
}

/**
 * A moment (a comment's time) in the visitor's zone, with the zone named.
 * @param {string} iso
 */
export const formatStamp = (iso) => formatter(viewerTimeZone(), true, 'stamp').format(new Date(iso));
/** @param {number} n */
export const formatNumber = (n) => number.format(n);

/**
 * Started and not yet ended.
 * @param {{startsAt: string, endsAt: string}} event
 */
export function happeningNow(event, now = Date.now()) {
  return Date.parse(event.startsAt) <= now && now < Date.parse(event.endsAt);
}

/** @param {Seats} event */
export function seatsLeft(event) {
  return Math.max(event.capacity - event.attendeeCount, 0);
}

/** @param {Seats} event */
export function seatsText(event) {
  const left = seatsLeft(event);
  if (left === 0) return 'Full';
  return `${formatNumber(left)} ${left === 1 ? 'seat' : 'seats'} left`;
}

/** @param {number} n */
const pad = (n) => String(Math.abs(n)).padStart(2, '0');
/** @type {Intl.DateTimeFormatOptions} */
const WALL = {
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
};
/** @type {Map<string, Intl.DateTimeFormat>} */
const wallFormats = new Map();

/**
 * The wall-clock fields of `date` in `timeZone`.
 * @param {Date} date @param {string} timeZone
 */
function wallClock(date, timeZone) {
  if (!wallFormats.has(timeZone)) wallFormats.set(timeZone, new Intl.DateTimeFormat('en-US', { ...WALL, timeZone }));
  const format = /** @type {Intl.DateTimeFormat} */ (wallFormats.get(timeZone));
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return { y: +parts.year, mo: +parts.month, d: +parts.day, hh: +parts.hour, mm: +parts.minute };
}

/**
 * Minutes east of UTC of `timeZone` at `date`.
 * @param {Date} date @param {string} timeZone
 */
function offsetAt(date, timeZone) {
  const { y, mo, d, hh, mm } = wallClock(date, timeZone);
  return Math.round((Date.UTC(y, mo - 1, d, hh, mm) - Math.floor(date.getTime() / 60000) * 60000) / 60000);
}

/**
 * "2031-03-14T18:30" (wall-clock time in `timeZone`) → "2031-03-14T18:30:00+01:00"; '' → null.
 * @param {string | null | undefined} value
 */
export function localInputToIso(value, timeZone = viewerTimeZone()) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? '');
  if (!parts) return null;
  const [, y, mo, d, hh, mm] = parts.map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, hh, mm);
  // The zone's offset near that wall time, checked once more across a DST change (a skipped time moves forward).
  let offset = offsetAt(new Date(asUtc), timeZone);
  offset = offsetAt(new Date(asUtc - offset * 60000), timeZone);
  const wall = wallClock(new Date(asUtc - offset * 60000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  return (
    `${wall.y}-${pad(wall.mo)}-${pad(wall.d)}T${pad(wall.hh)}:${pad(wall.mm)}:00` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

/**
 * AWSDateTime → "YYYY-MM-DDTHH:MM" in `timeZone`, for <input type=datetime-local>.
 * @param {string} iso
 */
export function isoToLocalInput(iso, timeZone = viewerTimeZone()) {
  const { y, mo, d, hh, mm } = wallClock(new Date(iso), timeZone);
  return `${y}-${pad(mo)}-${pad(d)}T${pad(hh)}:${pad(mm)}`;
}
