// "Add a comment": signs the visitor in if need be, checks the text against config.json, posts, and shows a refusal of
// the text at the field itself.
import { h, busy, isBusy, say } from '../../dom.js';
import { describe, errorTypeOf, fieldOf, humanize } from '../../messages.js';
import { textProblem } from '../../text_input.js';
import { actingUser, signInThen } from './sign_in.js';

/**
 * @param {EventPage} page
 * @param {{status: HTMLElement, posted: (comment: CommentFragment) => void}} where status: the comments' live region;
 *   posted: shows the visitor's new comment
 */
export function commentForm(page, { status, posted }) {
  const { ctx } = page;
  const { config, api, auth, signal } = ctx;
  const content = h('textarea', {
    id: 'comment-content',
    name: 'content',
    rows: 3,
    maxlength: config.limits.textMaxLength.content,
    required: true,
    'aria-describedby': 'comment-error',
  });
  const contentError = h('p', { class: 'field-error', id: 'comment-error', hidden: true });
  const postButton = h('button', { type: 'submit', class: 'button' }, 'Post comment');
  const form = h(
    'form',
    { class: 'comment-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'comment-content' }, 'Add a comment'), content, contentError),
    h('div', { class: 'actions' }, postButton),
  );

  /** @param {string | null} message */
  function showContentError(message) {
    contentError.textContent = message ?? '';
    contentError.hidden = !message;
    if (message) content.setAttribute('aria-invalid', 'true');
    else content.removeAttribute('aria-invalid');
  }

  /** @param {Event} [submitEvent] */
  async function postComment(submitEvent) {
    submitEvent?.preventDefault();
    if (isBusy(postButton)) return;
    showContentError(null);
    say(status, null);
    const user = await actingUser(ctx, status);
    if (!user || signal.aborted || page.gone) return;
    const problem = textProblem('content', content.value, config); // what the API would refuse is never sent
    if (problem) {
      showContentError(humanize(problem));
      return content.focus();
    }
    try {
      const comment = await busy(postButton, 'Posting…', () => api.commentOnEvent(page.event.id, content.value));
      if (signal.aborted) return;
      posted(comment); // unless its live copy came first
      content.value = '';
      say(status, 'success', 'Comment posted.');
    } catch (error) {
      if (signal.aborted) return;
      if (errorTypeOf(error) === 'NotFound') return page.deleted();
      if (fieldOf(error) === 'content') {
        showContentError(describe(error));
        content.focus();
      } else {
        const now = auth.currentUser();
        say(status, 'error', describe(error, now), signInThen(ctx, error, now, postComment));
      }
    }
  }

  form.addEventListener('submit', postComment);
  return form;
}
