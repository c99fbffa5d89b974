// "Add to calendar" and "Share" for an event page: the .ics file is made in the browser at the moment of the click
// (so it carries any live edit), and sharing uses the Web Share API where the browser has it, else copies the link.
import { h, say } from '../dom.js';
import { eventIcs, icsFileName } from './ics.js';

/**
 * @param {() => {id: string, title: string, description?: string | null, venue: string, startsAt: string, endsAt: string}} current
 *   the event as the page shows it now
 * @param {HTMLElement} status the live region that says what happened
 */
export function calendarAndShare(current, status) {
  const pageUrl = () => new URL(`/events/${encodeURIComponent(current().id)}`, location.origin).href;

  function addToCalendar() {
    const event = current();
    const file = new Blob([eventIcs(event, { url: pageUrl(), domain: location.hostname })], { type: 'text/calendar' });
    const link = h('a', { href: URL.createObjectURL(file), download: icsFileName(event.title), hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  }

  async function share() {
    const event = current();
    const url = pageUrl();
    if (typeof navigator.share === 'function') {
      try {
        await navigator.share({ title: event.title, url });
      } catch (error) {
        if (/** @type {Error} */ (error).name !== 'AbortError') say(status, 'info', `Share this link: ${url}`);
      }
      return;
    }
    try {
      await navigator.clipboard.writeText(url);
      say(status, 'success', 'Link copied. Paste it wherever you like.');
    } catch {
      say(status, 'info', `Copy this link to share the event: ${url}`);
    }
  }

  return [
    h('button', { type: 'button', class: 'button secondary', onclick: addToCalendar }, 'Add to calendar'),
    h('button', { type: 'button', class: 'button secondary', onclick: share }, 'Share'),
  ];
}
