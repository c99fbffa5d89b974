// "Who's going" on an event page: attendees' names with avatars, a page at a time, for signed-in visitors; the API
// keeps names from the API key, so a signed-out visitor sees how many are going and is offered to sign in.
import { h, busy, fill, isBusy, say } from '../dom.js';
import { describe } from '../messages.js';
import { formatNumber } from '../format.js';
import { avatar } from './avatar.js';

/**
 * @param {{eventId: string, api: GatherApi, auth: Auth, signal: AbortSignal, requestSignIn: () => Promise<unknown>}} ctx
 * @returns {{section: HTMLElement, reload: (count: number) => void}}
 */
export function whoIsGoing({ eventId, api, auth, signal, requestSignIn }) {
  const list = h('ul', { class: 'attendee-list' });
  const summary = h('p', { class: 'muted' });
  const more = h('button', { type: 'button', class: 'button secondary small', hidden: true }, 'Show more');
  const status = h('div', { class: 'live', 'aria-live': 'polite' });
  const section = h(
    'section',
    { class: 'who-is-going', 'aria-labelledby': 'going-title' },
    h('h2', { id: 'going-title' }, "Who's going"),
    summary,
    list,
    h('div', { class: 'more' }, more),
    status,
  );
  /** @type {string | null} */
  let nextToken = null;
  let loading = 0; // a newer reload makes an older answer moot

  /**
   * @param {NonNullable<Awaited<ReturnType<GatherApi['attendees']>>>} page
   * @param {boolean} append
   */
  function show(page, append) {
    const items = page.items.map((user) => h('li', { class: 'attendee' }, avatar(user), h('span', { class: 'attendee-name' }, user.displayName)));
    if (append) list.append(...items);
    else fill(list, items);
    nextToken = page.nextToken;
    more.hidden = !nextToken;
  }

  /** @param {number} count attendeeCount as the page shows it */
  async function reload(count) {
    const mine = ++loading;
    say(status, null);
    fill(list);
    more.hidden = true;
    if (!count) {
      fill(summary, 'Nobody yet. Take the first seat!');
      return;
    }
    const going = `${formatNumber(count)} ${count === 1 ? 'person is' : 'people are'} going.`;
    if (!auth.currentUser()) {
      const signIn = auth.canSignIn()
        ? h('button', { type: 'button', class: 'link-button', onclick: () => requestSignIn() }, 'Sign in to see who')
        : null;
      fill(summary, `${going} `, signIn);
      return;
    }
    fill(summary, going);
    try {
      const page = await api.attendees(eventId, null, { signal });
      if (mine === loading && !signal.aborted && page) show(page, false);
    } catch (error) {
      if (mine === loading && !signal.aborted) say(status, 'error', describe(error, auth.currentUser()));
    }
  }

  more.addEventListener('click', async () => {
    if (isBusy(more)) return;
    try {
      const page = await busy(more, 'Loading…', () => api.attendees(eventId, nextToken, { signal }));
      if (!signal.aborted && page) show(page, true);
    } catch (error) {
      if (!signal.aborted) say(status, 'error', describe(error, auth.currentUser()));
    }
  });

  return { section, reload };
}
