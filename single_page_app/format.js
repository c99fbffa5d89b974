// Dates in the visitor's locale and time zone; datetime-local values to and from AWSDateTime.

const when = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});
const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const number = new Intl.NumberFormat();

export const formatWhen = (iso) => when.format(new Date(iso));
export const formatRange = (startIso, endIso) => when.formatRange(new Date(startIso), new Date(endIso));
export const formatStamp = (iso) => stamp.format(new Date(iso));
export const formatNumber = (n) => number.format(n);

export function seatsLeft(event) {
  return Math.max(event.capacity - event.attendeeCount, 0);
}

export function seatsText(event) {
  const left = seatsLeft(event);
  if (left === 0) return 'Full';
  return `${formatNumber(left)} ${left === 1 ? 'seat' : 'seats'} left`;
}

const pad = (n) => String(Math.abs(n)).padStart(2, '0');

/** "2031-03-14T18:30" (local, from <input type=datetime-local>) → "2031-03-14T18:30:00+01:00"; '' → null. */
export function localInputToIso(value) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? '');
  if (!parts) return null;
  const [, y, mo, d, hh, mm] = parts.map(Number);
  const date = new Date(y, mo - 1, d, hh, mm); // a time skipped by a DST change moves forward
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:00${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

/** AWSDateTime → the visitor's local "YYYY-MM-DDTHH:MM" for <input type=datetime-local>. */
export function isoToLocalInput(iso) {
  const date = new Date(iso);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}
