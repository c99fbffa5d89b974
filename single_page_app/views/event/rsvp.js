// The RSVP button: takes a seat, or gives it up. A visitor who signs in to RSVP may hold a seat already; the page
// asks before sending.
import { h, busy, isBusy, say } from '../../dom.js';
import { merge } from '../../live_event.js';
import { describe, errorTypeOf } from '../../messages.js';
import { actingUser, signInThen } from './sign_in.js';
import { onlyWaiting } from './waitlist.js';

/**
 * @param {EventPage} page @param {HTMLElement} status the live region that says how it went
 * @returns {{button: HTMLButtonElement, render: () => void, seatNow: () => Promise<void>}}
 */
export function rsvpButton(page, status) {
  const { ctx } = page;
  const { api, auth, signal } = ctx;
  const button = h('button', { type: 'button', class: 'button' });

  function render() {
    if (isBusy(button)) return;
    const left = !onlyWaiting(page.event); // while anyone waits, the API refuses RSVPs
    button.textContent = page.going ? 'Cancel RSVP' : left ? 'RSVP' : 'Event full';
    button.className = page.going ? 'button secondary' : 'button';
    button.disabled = !page.going && !left;
  }

  /** @param {boolean} cancel */
  async function changeRsvp(cancel) {
    if (isBusy(button)) return;
    say(status, null);
    const wasSignedIn = Boolean(auth.currentUser());
    const user = await actingUser(ctx, status);
    if (!user || signal.aborted || page.gone) return;
    if (!wasSignedIn) {
      await seatNow(); // whether the person who just signed in holds a seat here already
      if (signal.aborted || page.gone) return;
      if (page.going && !cancel) {
        say(status, 'info', 'You already have a seat at this event.');
        return;
      }
    }
    try {
      const seats = await busy(button, cancel ? 'Cancelling…' : 'Saving…', () =>
        cancel ? api.cancelRsvp(page.event.id) : api.rsvp(page.event.id),
      );
      if (signal.aborted) return;
      page.going = Boolean(seats.hasSeat);
      page.showChanges(merge(page.event, seats), { own: true });
      say(status, 'success', cancel ? 'Your RSVP is cancelled.' : "You're going! Your seat is saved.");
    } catch (error) {
      if (signal.aborted) return;
      refused(error, cancel);
    }
    page.renderSeatsAndActions();
  }

  /** @param {unknown} error @param {boolean} cancel */
  function refused(error, cancel) {
    const { event } = page;
    const type = errorTypeOf(error);
    if (type === 'NotFound') return page.deleted();
    if (type === 'AlreadyRsvped') page.going = true;
    if (type === 'NotRsvped') page.going = false;
    if (type === 'EventFull') event.attendeeCount = Math.max(event.attendeeCount, event.capacity);
    const now = auth.currentUser(); // null if the session ended meanwhile (the request then went without it)
    say(status, 'error', describe(error, now), signInThen(ctx, error, now, () => changeRsvp(cancel)));
  }

  /** Asks the API whether the visitor (now) holds a seat, e.g. after signing in or out. */
  async function seatNow() {
    if (!auth.currentUser()) {
      page.going = false;
      page.waitlistPosition = null;
      page.renderSeatsAndActions();
      return;
    }
    try {
      const now = await api.eventNow(page.event.id, { signal });
      if (signal.aborted) return;
      if (!now) return page.deleted();
      page.going = Boolean(now.hasSeat);
      page.waitlistPosition = now.waitlistPosition;
      page.showChanges(merge(page.event, now));
      page.renderSeatsAndActions();
    } catch {
      // The RSVP button's answer (AlreadyRsvped / NotRsvped) sets it right.
    }
  }

  button.addEventListener('click', () => changeRsvp(page.going));
  return { button, render, seatNow };
}
