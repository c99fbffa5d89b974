// The waitlist of a full event: "Join the waitlist", the visitor's place in line, and "Leave the waitlist". While
// anyone waits the API refuses RSVPs, and each seat that frees goes to the first in line (the page then shows it).
import { h, busy, isBusy, say } from '../../dom.js';
import { formatNumber, seatsLeft } from '../../format.js';
import { merge } from '../../live_event.js';
import { describe, errorTypeOf } from '../../messages.js';
import { actingUser, signInThen } from './sign_in.js';

/**
 * Whether a visitor without a seat can only wait: no seat is free, or others wait for the free ones already.
 * @param {Seats & {waitlistCount: number}} event
 */
export const onlyWaiting = (event) => !seatsLeft(event) || event.waitlistCount > 0;

/**
 * @param {EventPage} page @param {HTMLElement} status the live region that says how it went
 * @returns {{button: HTMLButtonElement, place: HTMLElement, render: () => void}}
 */
export function waitlistButton(page, status) {
  const { ctx } = page;
  const { api, auth, signal } = ctx;
  const button = h('button', { type: 'button', class: 'button', hidden: true });
  const place = h('p', { class: 'waitlist-place', hidden: true });

  function render() {
    const { event, going, gone, waitlistPosition } = page;
    const waiting = waitlistPosition !== null;
    place.hidden = gone || !waiting;
    place.textContent = waiting ? `You are number ${formatNumber(waitlistPosition)} on the waitlist.` : '';
    if (isBusy(button)) return;
    button.hidden = gone || going || (!waiting && !onlyWaiting(event));
    button.textContent = waiting ? 'Leave the waitlist' : 'Join the waitlist';
    button.className = waiting ? 'button secondary' : 'button';
  }

  /** @param {boolean} leave */
  async function change(leave) {
    if (isBusy(button)) return;
    say(status, null);
    const user = await actingUser(ctx, status);
    if (!user || signal.aborted || page.gone) return;
    const { id } = page.event;
    try {
      const now = await busy(button, leave ? 'Leaving…' : 'Joining…', () =>
        leave ? api.leaveWaitlist(id) : api.joinWaitlist(id),
      );
      if (signal.aborted) return;
      page.going = Boolean(now.hasSeat);
      page.waitlistPosition = now.waitlistPosition;
      page.showChanges(merge(page.event, now), { own: true });
      const done = leave ? 'You left the waitlist.' : 'You are on the waitlist. A freed seat comes to you in turn.';
      say(status, 'success', done);
    } catch (error) {
      if (signal.aborted) return;
      if (errorTypeOf(error) === 'NotFound') return page.deleted();
      const now = auth.currentUser();
      say(status, 'error', describe(error, now), signInThen(ctx, error, now, () => change(leave)));
      page.checkNow(); // where the visitor stands now: seated, waiting, or neither
    }
    page.renderSeatsAndActions();
  }

  button.addEventListener('click', () => change(page.waitlistPosition !== null));
  return { button, place, render };
}
