// "/events/<id>": details, RSVP / cancel, comments (newest first, older ones a page at a time), edit and delete for
// those allowed, and live updates: AppSync subscriptions keep seats, edits and new comments current while it is open.
// Each part is a module of its own (views/event/); this one loads the event and wires the parts together.
import { h, fill, notice, say, setTitle } from '../dom.js';
import { person } from '../components/avatar.js';
import { whoIsGoing } from '../components/attendees.js';
import { calendarAndShare } from '../components/share.js';
import { describe, fieldLabel } from '../messages.js';
import { commentsSection } from './event/comments.js';
import { eventDetails, seatsLine } from './event/details.js';
import { hostActions } from './event/host_actions.js';
import { liveUpdates } from './event/live.js';
import { rsvpButton } from './event/rsvp.js';
import { waitlistButton } from './event/waitlist.js';

/** @param {HTMLElement} main @param {ViewContext} ctx */
export async function renderEvent(main, ctx) {
  const event = await loadEvent(main, ctx);
  if (event) showEvent(main, event, ctx);
}

/**
 * The event, or null once the page says why there is none (or the visitor left).
 * @param {HTMLElement} main @param {ViewContext} ctx
 */
async function loadEvent(main, { id, api, signal, refresh }) {
  setTitle('Event');
  fill(main, h('p', { class: 'muted', role: 'status' }, 'Loading event…'));
  let event;
  try {
    event = await api.getEvent(/** @type {string} */ (id), { signal }); // router.js: "/events/<id>" has one
  } catch (error) {
    if (signal.aborted) return null;
    fill(main, h('h1', null, 'Event'), notice('error', describe(error), { label: 'Try again', onclick: refresh }));
    return null;
  }
  if (signal.aborted) return null;
  if (!event) {
    setTitle('Event not found');
    fill(
      main,
      h('h1', null, 'Event not found'),
      h('p', null, 'This event does not exist, or it was removed. ', h('a', { href: '/' }, 'See upcoming events')),
    );
  }
  return event;
}

/** @param {HTMLElement} main @param {EventDetail} event @param {ViewContext} ctx */
function showEvent(main, event, ctx) {
  const { config, api, auth, signal, requestSignIn, flash } = ctx;
  // Live regions: `updates` (visible) for edits and deletion, `announcer` (for screen readers) for seats and comments.
  const updates = h('div', { class: 'live', 'aria-live': 'polite' });
  const announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });
  /** @type {EventPage} */
  const page = {
    ctx,
    event,
    gone: false,
    going: auth.currentUser() ? Boolean(event.hasSeat) : false,
    waitlistPosition: auth.currentUser() ? event.waitlistPosition : null,
    announce: (text) => fill(announcer, h('p', null, text)),
    showChanges,
    renderSeatsAndActions,
    checkNow: () => live.checkNow(),
    deleted,
  };
  const details = eventDetails(page);
  const status = h('div', { class: 'live', 'aria-live': 'polite' }); // what the visitor's own actions did
  const rsvp = rsvpButton(page, status);
  const waitlist = waitlistButton(page, status);
  const host = hostActions(page, status);
  const share = calendarAndShare(() => page.event, status);
  const actions = h('div', { class: 'actions' }, rsvp.button, waitlist.button, share, host.editLink, host.deleteButton);
  const attendeeList = whoIsGoing({ eventId: event.id, api, auth, signal, requestSignIn });
  const comments = commentsSection(page);
  const live = liveUpdates(page, comments);

  function renderSeatsAndActions() {
    host.render();
    details.renderSeats();
    rsvp.render();
    waitlist.render();
  }

  /** @param {LiveField[]} changed @param {{own?: boolean}} [options] */
  function showChanges(changed, { own = false } = {}) {
    if (!changed.length || page.gone) return;
    const edited = changed.filter((name) => config.editableFields.includes(name));
    if (edited.length) {
      details.render();
      const names = [...new Set(edited.map(fieldLabel))];
      say(updates, 'info', `This event was just updated (${names.join(', ')}).`);
    }
    renderSeatsAndActions();
    if (changed.includes('attendeeCount')) attendeeList.reload(page.event.attendeeCount);
    if (!own && (changed.includes('attendeeCount') || changed.includes('capacity'))) {
      page.announce(`Seats: ${seatsLine(page.event)}.`);
    }
  }

  function deleted() {
    if (page.gone) return;
    page.gone = true;
    live.close();
    details.render();
    renderSeatsAndActions();
    comments.renderControls();
    for (const part of [actions, status, live.state]) part.hidden = true;
    const closed = h('p', null, 'This event has been deleted. RSVPs and comments are closed.');
    fill(updates, h('div', { class: 'notice notice-error' }, closed, h('a', { href: '/' }, 'See upcoming events')));
  }

  live.start();
  // Signing in or out (here or in another tab) changes what the visitor may do, and the live connection's credentials.
  const stopWatchingAuth = auth.onChange(() => {
    rsvp.seatNow();
    attendeeList.reload(page.event.attendeeCount);
    renderSeatsAndActions();
    comments.renderControls();
    live.reconnect();
  });
  signal.addEventListener('abort', stopWatchingAuth);

  details.render();
  renderSeatsAndActions();
  attendeeList.reload(event.attendeeCount);
  if (flash) say(status, 'success', flash);
  const regions = { liveState: live.state, updates, announcer, status };
  const parts = { details, actions, place: waitlist.place, attendees: attendeeList.section, comments };
  fill(main, eventArticle(event, { ...parts, ...regions }));
}

/**
 * The page, in reading order.
 * @param {EventDetail} event
 * @param {{details: ReturnType<typeof eventDetails>, actions: HTMLElement, place: HTMLElement, attendees: HTMLElement,
 *   comments: {section: HTMLElement}, liveState: HTMLElement, updates: HTMLElement, announcer: HTMLElement,
 *   status: HTMLElement}} parts
 */
function eventArticle(event, parts) {
  const { details, actions, place, attendees, comments, liveState, updates, announcer, status } = parts;
  const host = person(event.host, `Hosted by ${event.host?.displayName ?? 'someone'}`);
  return h(
    'article',
    { class: 'event', 'aria-labelledby': 'event-title' },
    h('p', { class: 'back' }, h('a', { href: '/' }, '← All events')),
    h(
      'header',
      { class: 'event-head' },
      details.tile,
      h('div', null, details.heading, h('p', { class: 'event-host' }, host)),
    ),
    liveState,
    updates,
    announcer,
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, 'When'), details.when),
      h('div', null, h('dt', null, 'Where'), details.venue),
      h('div', null, h('dt', null, 'Seats'), details.seats),
      ...details.extraFacts,
    ),
    actions,
    place,
    status,
    details.about,
    attendees,
    comments.section,
  );
}
