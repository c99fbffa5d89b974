// An event as an iCalendar file (RFC 5545), built in the browser: times in UTC (so every calendar places them right
// whatever its own zone), a UID that stays the same for the event so a second download updates the first, and the
// event page's address.

/**
 * "2031-03-14T17:30:00.000Z" → "20310314T173000Z".
 * @param {string | Date} moment
 */
export function icsUtc(moment) {
  return new Date(moment).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * TEXT values escape backslash, semicolon, comma and line breaks.
 * @param {string} value
 */
export function icsText(value) {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * Lines longer than 75 octets continue on the next line after a space, never inside a character.
 * @param {string} line
 */
export function icsFold(line) {
  const parts = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    if (octets + size > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/**
 * @param {{id: string, title: string, description?: string | null, venue: string, startsAt: string, endsAt: string}} event
 * @param {{url: string, domain: string, now?: Date}} where url: the event's page; domain: the UID's right-hand side
 * @returns {string} the .ics file's text
 */
export function eventIcs(event, { url, domain, now = new Date() }) {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Gather//Gather events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:event-${event.id}@${domain}`,
    `DTSTAMP:${icsUtc(now)}`,
    `DTSTART:${icsUtc(event.startsAt)}`,
    `DTEND:${icsUtc(event.endsAt)}`,
    `SUMMARY:${icsText(event.title)}`,
    `LOCATION:${icsText(event.venue)}`,
    ...(event.description ? [`DESCRIPTION:${icsText(event.description)}`] : []),
    `URL:${url}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(icsFold).join('\r\n') + '\r\n';
}

/**
 * A file name from the title: letters, digits and dashes, never empty.
 * @param {string} title
 */
export function icsFileName(title) {
  const stem = title.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${stem || 'event'}.ics`;
}
