// "/": upcoming and ongoing events (marked "Happening now"), a page at a time ("Load more" follows nextToken).
import { h, fill, busy, isBusy, say, setTitle } from '../dom.js';
import { seatsLeft, seatsText } from '../format.js';
import { describe, errorTypeOf } from '../messages.js';
import { person } from '../components/avatar.js';
import { dateTile, when } from '../components/when.js';

let firstEventMarked = false;

/**
 * A card: the day on a tile, then title, time (both zones), place, host and seats.
 * @param {SummaryFragment} event a listEvents item (operations.js Summary)
 */
function card(event) {
  const titleId = `event-${event.id}`;
  const fact = (/** @type {string} */ label, /** @type {{class: string}} */ props, /** @type {unknown[]} */ ...content) => [
    h('dt', { class: 'visually-hidden' }, label),
    h('dd', props, ...content),
  ];
  return h(
    'li',
    null,
    h(
      'article',
      { class: 'card', 'aria-labelledby': titleId },
      dateTile(event),
      h(
        'div',
        { class: 'card-body' },
        h('h2', { id: titleId }, h('a', { href: `/events/${encodeURIComponent(event.id)}` }, event.title)),
        h(
          'dl',
          { class: 'card-facts' },
          fact('When', { class: 'when' }, when(event, { end: false })),
          fact('Where', { class: 'venue' }, event.venue),
          fact('Host', { class: 'host' }, person(event.host, `Hosted by ${event.host?.displayName ?? 'someone'}`)),
          fact('Seats', { class: seatsLeft(event) ? 'seats' : 'seats full' }, seatsText(event)),
          event.hasSeat && fact('Your seat', { class: 'your-seat' }, 'You have a seat'),
        ),
      ),
    ),
  );
}

/** @param {HTMLElement} main @param {ViewContext} ctx */
export function renderList(main, { api, signal, flash }) {
  setTitle('Upcoming events');
  const status = h('div', { class: 'live', 'aria-live': 'polite' });
  const list = h('ul', { class: 'event-list', 'aria-labelledby': 'list-title', hidden: true });
  const more = h('button', { type: 'button', class: 'button secondary', hidden: true }, 'Load more events');
  fill(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'list-title' }, 'Upcoming events'),
      h('a', { href: '/new', class: 'button' }, 'Create an event'),
    ),
    status,
    list,
    h('div', { class: 'more' }, more),
  );
  /** @type {string | null} */
  let nextToken = null;
  let shown = 0;

  async function load() {
    if (isBusy(more)) return;
    const first = shown === 0;
    if (first) fill(status, h('p', { class: 'muted' }, 'Loading events…'));
    let page;
    try {
      page = first
        ? await api.listEvents(null, { signal })
        : await busy(more, 'Loading…', () => api.listEvents(nextToken, { signal }));
    } catch (error) {
      if (signal.aborted) return;
      const restart = errorTypeOf(error) === 'InvalidNextToken';
      say(status, 'error', describe(error), {
        label: restart ? 'Reload the list' : 'Try again',
        onclick: restart ? () => location.reload() : load,
      });
      return;
    }
    list.append(...page.items.map(card));
    shown += page.items.length;
    nextToken = page.nextToken;
    list.hidden = shown === 0;
    more.hidden = !nextToken;
    if (shown === 0) {
      fill(
        status,
        h(
          'div',
          { class: 'empty' },
          h('p', null, 'No upcoming events yet.'),
          h('a', { href: '/new' }, 'Create the first one'),
        ),
      );
    } else if (first) {
      // A message from the page before (e.g. "… was deleted."), once the list it is about is shown.
      if (flash) say(status, 'success', flash);
      else fill(status);
      if (!firstEventMarked) performance.mark('gather:first-event');
      firstEventMarked = true;
    } else {
      say(status, 'info', `Showing ${shown} events${nextToken ? '' : ', all there are'}.`);
    }
  }

  more.addEventListener('click', load);
  load();
}
