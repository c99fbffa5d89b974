// The event's facts as its page shows them: title, date tile, time, place (with a map link), seats, description and
// the editable fields the page has no place of its own for. Each is drawn again when an edit or a seat arrives.
import { h, fill, setTitle } from '../../dom.js';
import { formatNumber, seatsLeft } from '../../format.js';
import { extraFacts } from '../../components/extra_facts.js';
import { dateTile, when as whenText } from '../../components/when.js';

/**
 * The place on OpenStreetMap (a search: venues are free text).
 * @param {string} venue
 */
const mapLink = (venue) => `https://www.openstreetmap.org/search?query=${encodeURIComponent(venue)}`;

/**
 * The description as paragraphs: a blank line starts a new one; single line breaks stay.
 * @param {string} text
 */
const paragraphs = (text) =>
  text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => h('p', { class: 'prose' }, paragraph));

/**
 * "3 going of 20 · 17 seats left", or "… · Full", and " · 2 waiting" while anyone waits.
 * @param {Seats & {waitlistCount: number}} event
 */
export const seatsLine = (event) => {
  const left = seatsLeft(event);
  return (
    `${formatNumber(event.attendeeCount)} going of ${formatNumber(event.capacity)} · ` +
    (left ? `${formatNumber(left)} ${left === 1 ? 'seat' : 'seats'} left` : 'Full') +
    (event.waitlistCount ? ` · ${formatNumber(event.waitlistCount)} waiting` : '')
  );
};

/** @param {EventPage} page */
export function eventDetails(page) {
  const heading = h('h1', { id: 'event-title' });
  const tile = h('div', { class: 'event-tile' });
  const when = h('dd', { class: 'when' });
  const venue = h('dd', { class: 'venue' });
  const seats = h('dd', { class: 'attendees' });
  const about = h('section', { class: 'about', 'aria-labelledby': 'about-title' });
  const extras = extraFacts(page.ctx.config);

  function render() {
    const { event } = page;
    setTitle(page.gone ? `${event.title} (deleted)` : event.title);
    heading.textContent = event.title;
    fill(tile, dateTile(event));
    fill(when, whenText(event));
    fill(
      venue,
      h('span', null, event.venue),
      h(
        'a',
        { href: mapLink(event.venue), class: 'map-link', target: '_blank', rel: 'noopener' },
        'Open in a map',
        h('span', { class: 'visually-hidden' }, ' (OpenStreetMap, new tab)'),
      ),
    );
    fill(about, h('h2', { id: 'about-title' }, 'About'), paragraphs(event.description ?? ''));
    about.hidden = !event.description?.trim();
    extras.show(event);
  }

  const renderSeats = () => {
    seats.textContent = seatsLine(page.event);
  };

  return { heading, tile, when, venue, seats, extraFacts: extras.rows, about, render, renderSeats };
}
