// The event's comments, newest first: each with its author's avatar, its time and, for those allowed, "Delete".
// Every comment ever shown is remembered, so that a late live copy of a deleted one stays away.
import { h, busy, confirmAction, isBusy, say } from '../../dom.js';
import { formatStamp } from '../../format.js';
import { avatar } from '../../components/avatar.js';
import { describe, errorTypeOf } from '../../messages.js';
import { may, whoMay } from '../../permissions.js';

/**
 * One comment: author, time, text, and its delete button (for the page to show to those allowed).
 * @param {CommentFragment} comment
 */
function commentItem(comment) {
  const name = comment.author?.displayName ?? 'Someone';
  const remove = h(
    'button',
    { type: 'button', class: 'link-button comment-delete', 'aria-label': `Delete comment by ${name}` },
    'Delete',
  );
  const item = h(
    'li',
    { class: 'comment' },
    avatar(comment.author),
    h(
      'div',
      { class: 'comment-body' },
      h(
        'p',
        { class: 'comment-meta' },
        h('strong', null, name),
        ' ',
        comment.createdAt && h('time', { datetime: comment.createdAt }, formatStamp(comment.createdAt)),
        remove,
      ),
      h('p', { class: 'prose' }, comment.content ?? ''),
    ),
  );
  return { item, remove };
}

/**
 * @param {EventPage} page
 * @param {{status: HTMLElement, title: HTMLElement}} around status: the comments' live region; title: takes the focus
 *   when the comment that had it goes
 */
export function commentList(page, { status, title }) {
  const { config, auth } = page.ctx;
  const list = h('ol', { class: 'comments' });
  const empty = h('p', { class: 'muted' }, 'No comments yet. Be the first to say something.');
  /** @type {Set<string>} every comment id ever shown */
  const seen = new Set();
  /** @type {Map<string, {comment: CommentFragment, item: HTMLElement, remove: HTMLElement}>} */
  const shown = new Map();

  /** @param {CommentFragment} comment @param {User | null} user */
  const mayDelete = (comment, user) =>
    !page.gone && may(config, user, 'deleteComment', { event: page.event, comment });

  /** @param {CommentFragment} comment */
  function show(comment) {
    const { item, remove } = commentItem(comment);
    remove.hidden = !mayDelete(comment, auth.currentUser());
    const around = { status, title, remove: removeComment };
    remove.addEventListener('click', () => deleteComment(page, comment, remove, around));
    shown.set(comment.id, { comment, item, remove });
    return item;
  }

  /**
   * Adds the comments not shown yet; returns how many.
   * @param {{items: CommentFragment[]}} comments @param {'append' | 'prepend'} [where]
   */
  function add({ items }, where = 'append') {
    const fresh = items.filter((comment) => comment?.id && !seen.has(comment.id));
    fresh.forEach((comment) => seen.add(comment.id));
    list[where](...fresh.map(show));
    empty.hidden = shown.size > 0;
    return fresh.length;
  }

  /** @param {string} commentId */
  function removeComment(commentId) {
    shown.get(commentId)?.item.remove();
    shown.delete(commentId);
    empty.hidden = shown.size > 0;
  }

  function renderControls() {
    const user = auth.currentUser();
    for (const { comment, remove } of shown.values()) remove.hidden = !mayDelete(comment, user);
  }

  /** Whether a comment is on the page (shown), or ever was (seen). @param {string} commentId */
  const state = (commentId) => ({ shown: shown.has(commentId), seen: seen.has(commentId) });
  return { list, empty, add, remove: removeComment, renderControls, state, count: () => shown.size };
}

/**
 * Asks, then deletes a comment; says how it went.
 * @param {EventPage} page @param {CommentFragment} comment @param {HTMLElement} button its delete button
 * @param {{status: HTMLElement, title: HTMLElement, remove: (commentId: string) => void}} list
 */
async function deleteComment(page, comment, button, { status, title, remove }) {
  const { config, api, auth, signal } = page.ctx;
  if (isBusy(button)) return;
  const confirmed = await confirmAction({
    title: 'Delete this comment?',
    message: 'It will be removed for everyone. This cannot be undone.',
    confirm: 'Delete comment',
  });
  if (!confirmed || signal.aborted) return;
  const user = auth.currentUser();
  say(status, null);
  try {
    await busy(button, 'Deleting…', () => api.deleteComment(page.event.id, comment.id));
    if (signal.aborted) return;
    remove(comment.id);
    say(status, 'success', 'Comment deleted.');
  } catch (error) {
    if (signal.aborted) return;
    if (errorTypeOf(error) === 'NotFound') {
      remove(comment.id);
      page.checkNow(); // the event itself may be gone
    }
    const instead = {
      NotFound: 'This comment was already deleted.',
      Unauthorized: `Only ${whoMay(config, 'deleteComment')} can delete it.`,
    };
    say(status, 'error', describe(error, user, instead));
  }
  if (!button.isConnected) title.focus(); // the comment went, and the focus with it
}
