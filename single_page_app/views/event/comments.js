// The comments section: newest first, older ones a page at a time, a form to add one, and others' comments as they
// come and go live.
import { h, busy, isBusy, say } from '../../dom.js';
import { describe, errorTypeOf } from '../../messages.js';
import { commentForm } from './comment_form.js';
import { commentList } from './comment_list.js';

/** @param {EventPage} page */
export function commentsSection(page) {
  const { api, auth, signal } = page.ctx;
  const more = h('button', { type: 'button', class: 'button secondary' }, 'Show older comments');
  const status = h('div', { class: 'live', 'aria-live': 'polite' });
  const title = h('h2', { id: 'comments-title', tabindex: -1 }, 'Comments');
  const comments = commentList(page, { status, title });
  const form = commentForm(page, { status, posted: (comment) => comments.add({ items: [comment] }, 'prepend') });
  /** @type {string | null} */
  let nextToken = null;

  /** @param {string | null} token */
  function setNextToken(token) {
    nextToken = token;
    more.hidden = !token || page.gone;
  }
  /** What the visitor may do here: delete comments (those allowed), add one and page on (until it is deleted). */
  function renderControls() {
    comments.renderControls();
    form.hidden = page.gone;
    setNextToken(nextToken);
  }
  comments.add(page.event.comments);
  setNextToken(page.event.comments.nextToken);

  more.addEventListener('click', async () => {
    if (isBusy(more)) return;
    try {
      const older = await busy(more, 'Loading…', () => api.moreComments(page.event.id, nextToken, { signal }));
      if (signal.aborted) return;
      if (!older) return page.deleted(); // the event is gone
      comments.add(older);
      setNextToken(older.nextToken);
      say(status, 'info', `Showing ${comments.count()} comments${older.nextToken ? '' : ', all there are'}.`);
    } catch (error) {
      if (signal.aborted) return;
      const restart =
        errorTypeOf(error) === 'InvalidNextToken' ? { label: 'Reload', onclick: () => location.reload() } : null;
      say(status, 'error', describe(error), restart);
    }
  });

  /** A comment someone posted, live. @param {CommentFragment | null | undefined} comment */
  function added(comment) {
    if (page.gone || !comment?.id || comments.state(comment.id).seen || comment.eventId !== page.event.id) return;
    comments.add({ items: [comment] }, 'prepend');
    if (comment.author?.id !== auth.currentUser()?.id) {
      page.announce(`New comment from ${comment.author?.displayName ?? 'someone'}.`);
    }
  }

  /** A comment someone deleted, live. @param {{id: string, eventId: string} | null | undefined} comment */
  function removed(comment) {
    if (page.gone || !comment?.id || comment.eventId !== page.event.id || !comments.state(comment.id).shown) return;
    comments.remove(comment.id);
    page.announce('A comment was deleted.');
  }

  const section = h(
    'section',
    { class: 'comments-section', 'aria-labelledby': 'comments-title' },
    title,
    form,
    status,
    comments.empty,
    comments.list,
    h('div', { class: 'more' }, more),
  );
  return { section, add: comments.add, added, removed, renderControls };
}
