// Live updates: AppSync subscriptions keep seats, edits and comments current while the page is open. What a live
// update cannot tell (a deletion, what happened while the connection was down) is asked of the API.
import { h } from '../../dom.js';
import { merge } from '../../live_event.js';
import { live } from '../../operations.js';
import { createRealtime } from '../../realtime.js';

/** @type {Record<string, string>} */
const LIVE_STATE_TEXT = {
  connecting: 'Connecting for live updates…',
  live: 'Live updates on',
  offline: 'Live updates paused. Reconnecting…',
  refused: 'Live updates are unavailable. Reload the page to see changes.',
};

/**
 * The page's real-time connection, its state shown in `state`.
 * @param {Config} config @param {Auth} auth @param {HTMLElement} state
 */
function connection(config, auth, state) {
  return createRealtime({
    url: config.realtimeUrl,
    apiUrl: config.graphqlUrl,
    headers: auth.authHeaders,
    retryUnauthorized: auth.retryAfterUnauthorized,
    onState: (now) => {
      state.setAttribute('data-state', now);
      state.textContent = LIVE_STATE_TEXT[now] ?? '';
    },
  });
}

/**
 * @param {EventPage} page
 * @param {{add: (comments: {items: CommentFragment[]}, where: 'prepend') => number,
 *   added: (comment: CommentFragment | null | undefined) => void,
 *   removed: (comment: {id: string, eventId: string} | null | undefined) => void}} comments
 */
export function liveUpdates(page, comments) {
  const { config, api, auth, signal } = page.ctx;
  const state = h('p', { class: 'live-state', hidden: !config.realtimeUrl });
  const realtime = config.realtimeUrl ? connection(config, auth, state) : null;
  let checking = false;
  let checkAgain = false;

  /** Asks the API what a live update could not tell: whether the event still exists, and as what. */
  async function checkNow() {
    if (checking) {
      checkAgain = true;
      return;
    }
    checking = true;
    try {
      do {
        checkAgain = false;
        const now = await api.eventNow(page.event.id, { signal });
        if (signal.aborted) return;
        if (!now) return page.deleted();
        if (auth.currentUser()) {
          page.going = Boolean(now.hasSeat);
          page.waitlistPosition = now.waitlistPosition;
        }
        page.showChanges(merge(page.event, now));
        page.renderSeatsAndActions();
      } while (checkAgain);
    } catch {
      // Unknown for now; the next update or a reload tells.
    } finally {
      checking = false;
    }
  }

  /** @param {LiveFragment | null | undefined} copy */
  function eventChanged(copy) {
    if (page.gone) return;
    const changed = merge(page.event, copy);
    // Nothing new: the echo of the visitor's own change, or a deletion (which carries the event as it was).
    if (changed.length) page.showChanges(changed);
    // A line that moved may have moved the visitor, or given them a seat: their own place is not live.
    const waiting = page.waitlistPosition !== null && changed.includes('waitlistCount');
    if (!changed.length || waiting) checkNow();
  }

  /** After a dropped connection: what happened meanwhile (AppSync does not replay). */
  async function catchUp() {
    try {
      const fresh = await api.getEvent(page.event.id, { signal });
      if (signal.aborted || page.gone) return;
      if (!fresh) return page.deleted();
      page.showChanges(merge(page.event, fresh));
      const added = comments.add(fresh.comments, 'prepend');
      if (added) page.announce(`${added} new ${added === 1 ? 'comment' : 'comments'}.`);
    } catch {
      // The next update or a reload tells.
    }
  }

  /** Subscribes for as long as the page is open. */
  function start() {
    signal.addEventListener('abort', () => realtime?.close());
    const { id } = page.event;
    realtime?.subscribe(live.eventChanged(id), { next: (payload) => eventChanged(payload.data?.onEventChanged) });
    realtime?.subscribe(live.commentAdded(id), {
      // Null (with errors) when the comment's mutation did not select all this page asks for: AppSync runs the
      // page's selection over the mutation's result. The page then reads what it missed.
      next: (payload) => (payload.errors?.length ? catchUp() : comments.added(payload.data?.onCommentAdded)),
    });
    realtime?.subscribe(live.commentDeleted(id), {
      next: (payload) => comments.removed(payload.data?.onCommentDeleted),
    });
    realtime?.onResume(catchUp);
  }

  return { state, start, checkNow, reconnect: () => realtime?.reconnect(), close: () => realtime?.close() };
}
