// "/events/<id>": details, RSVP / cancel, and comments (newest first, older ones a page at a time).
import { h, busy, isBusy, notice, say, setTitle } from '../dom.js';
import { formatNumber, formatRange, formatStamp, seatsLeft } from '../format.js';
import { describe, fieldOf, needsSignIn } from '../messages.js';
import { canEdit } from '../permissions.js';
import { hasRsvp, rememberRsvp } from '../rsvps.js';

function commentItem(comment) {
  return h(
    'li',
    { class: 'comment' },
    h(
      'p',
      { class: 'comment-meta' },
      h('strong', null, comment.author?.displayName ?? 'Someone'),
      ' ',
      h('time', { datetime: comment.createdAt }, formatStamp(comment.createdAt)),
    ),
    h('p', { class: 'prose' }, comment.content),
  );
}

export async function renderEvent(main, ctx) {
  const { id, api, auth, signal, requestSignIn, flash } = ctx;
  setTitle('Event');
  main.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Loading event…'));
  let event;
  try {
    event = await api.getEvent(id, { signal });
  } catch (error) {
    if (signal.aborted) return;
    main.replaceChildren(
      h('h1', null, 'Event'),
      notice('error', describe(error), { label: 'Try again', onclick: () => renderEvent(main, ctx) }),
    );
    return;
  }
  if (signal.aborted) return;
  if (!event) {
    setTitle('Event not found');
    main.replaceChildren(
      h('h1', null, 'Event not found'),
      h('p', null, 'This event does not exist, or it was removed. ', h('a', { href: '/' }, 'See upcoming events')),
    );
    return;
  }
  setTitle(event.title);
  const path = `/events/${encodeURIComponent(event.id)}`;

  /** When signing in would help: a "Sign in" button that signs in, then retries. */
  const signInThen = (error, user, retry) =>
    needsSignIn(error, user) && auth.canSignIn()
      ? { label: 'Sign in', onclick: async () => (await requestSignIn()) && retry() }
      : null;

  // Seats and RSVP. Whether the visitor holds a seat is remembered here (the API has no such field), so a full
  // event also offers to cancel a seat taken elsewhere; the API's AlreadyRsvped / NotRsvped set the record right.
  const attendees = h('dd', { class: 'attendees' });
  const rsvpButton = h('button', { type: 'button', class: 'button' });
  const cancelElsewhere = h('button', { type: 'button', class: 'link-button' }, 'Have a seat already? Cancel it');
  const rsvpStatus = h('div', { class: 'live', 'aria-live': 'polite' });
  const editLink = h('a', { href: `${path}/edit`, class: 'button secondary' }, 'Edit event');
  let knownNotGoing = false;

  function renderSeatsAndActions() {
    const user = auth.currentUser();
    editLink.hidden = !canEdit(user, event);
    const left = seatsLeft(event);
    attendees.textContent =
      `${formatNumber(event.attendeeCount)} going of ${formatNumber(event.capacity)} · ` +
      (left ? `${formatNumber(left)} ${left === 1 ? 'seat' : 'seats'} left` : 'Full');
    const going = hasRsvp(user, event.id);
    cancelElsewhere.hidden = going || left > 0 || !user || knownNotGoing;
    if (isBusy(rsvpButton)) return;
    rsvpButton.textContent = going ? 'Cancel RSVP' : left ? 'RSVP' : 'Event full';
    rsvpButton.className = going ? 'button secondary' : 'button';
    rsvpButton.disabled = !going && !left;
  }

  async function changeRsvp(button, cancel) {
    if (isBusy(button)) return;
    const user = auth.currentUser();
    say(rsvpStatus, null);
    try {
      // Writes are not aborted when the visitor moves on: the seat is remembered either way.
      const seats = await busy(button, cancel ? 'Cancelling…' : 'Saving…', () =>
        cancel ? api.cancelRsvp(event.id) : api.rsvp(event.id),
      );
      rememberRsvp(user, event.id, !cancel);
      if (signal.aborted) return;
      Object.assign(event, seats);
      say(rsvpStatus, 'success', cancel ? 'Your RSVP is cancelled.' : "You're going! Your seat is saved.");
    } catch (error) {
      if (signal.aborted) return;
      if (error.errorType === 'AlreadyRsvped') rememberRsvp(user, event.id, true);
      if (error.errorType === 'NotRsvped') {
        rememberRsvp(user, event.id, false);
        knownNotGoing = true;
      }
      if (error.errorType === 'EventFull') event.attendeeCount = Math.max(event.attendeeCount, event.capacity);
      const retry = () => changeRsvp(button, cancel);
      say(rsvpStatus, 'error', describe(error, user), signInThen(error, user, retry));
    }
    renderSeatsAndActions();
  }
  rsvpButton.addEventListener('click', () => changeRsvp(rsvpButton, hasRsvp(auth.currentUser(), event.id)));
  cancelElsewhere.addEventListener('click', () => changeRsvp(cancelElsewhere, true));
  const stopWatchingAuth = auth.onChange(() => {
    knownNotGoing = false;
    renderSeatsAndActions();
  });
  signal.addEventListener('abort', stopWatchingAuth);
  renderSeatsAndActions();
  if (flash) say(rsvpStatus, 'success', flash);

  // Comments.
  const commentList = h('ol', { class: 'comments' });
  const noComments = h('p', { class: 'muted' }, 'No comments yet. Be the first to say something.');
  const moreComments = h('button', { type: 'button', class: 'button secondary' }, 'Show older comments');
  const commentsStatus = h('div', { class: 'live', 'aria-live': 'polite' });
  const seen = new Set();
  let commentsToken = null;

  function addComments(page, where = 'append') {
    const fresh = page.items.filter((comment) => !seen.has(comment.id));
    fresh.forEach((comment) => seen.add(comment.id));
    commentList[where](...fresh.map(commentItem));
    noComments.hidden = seen.size > 0;
  }
  function setCommentsToken(token) {
    commentsToken = token;
    moreComments.hidden = !token;
  }
  addComments(event.comments);
  setCommentsToken(event.comments.nextToken);

  moreComments.addEventListener('click', async () => {
    if (isBusy(moreComments)) return;
    try {
      const page = await busy(moreComments, 'Loading…', () => api.moreComments(event.id, commentsToken, { signal }));
      addComments(page);
      setCommentsToken(page.nextToken);
      say(commentsStatus, 'info', `Showing ${seen.size} comments${page.nextToken ? '' : ', all there are'}.`);
    } catch (error) {
      if (signal.aborted) return;
      const restart =
        error.errorType === 'InvalidNextToken' ? { label: 'Reload', onclick: () => location.reload() } : null;
      say(commentsStatus, 'error', describe(error), restart);
    }
  });

  const content = h('textarea', {
    id: 'comment-content',
    name: 'content',
    rows: 3,
    maxlength: 2000,
    required: true,
    'aria-describedby': 'comment-error',
  });
  const contentError = h('p', { class: 'field-error', id: 'comment-error', hidden: true });
  const postButton = h('button', { type: 'submit', class: 'button' }, 'Post comment');
  const commentForm = h(
    'form',
    { class: 'comment-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'comment-content' }, 'Add a comment'), content, contentError),
    h('div', { class: 'actions' }, postButton),
  );

  function showContentError(message) {
    contentError.textContent = message ?? '';
    contentError.hidden = !message;
    if (message) content.setAttribute('aria-invalid', 'true');
    else content.removeAttribute('aria-invalid');
  }

  async function postComment(submitEvent) {
    submitEvent?.preventDefault();
    if (isBusy(postButton)) return;
    showContentError(null);
    say(commentsStatus, null);
    const user = auth.currentUser();
    try {
      const comment = await busy(postButton, 'Posting…', () => api.commentOnEvent(event.id, content.value));
      if (signal.aborted) return;
      addComments({ items: [comment] }, 'prepend');
      content.value = '';
      say(commentsStatus, 'success', 'Comment posted.');
    } catch (error) {
      if (signal.aborted) return;
      if (fieldOf(error) === 'content') {
        showContentError(describe(error));
        content.focus();
      } else {
        say(commentsStatus, 'error', describe(error, user), signInThen(error, user, postComment));
      }
    }
  }
  commentForm.addEventListener('submit', postComment);

  main.replaceChildren(
    h(
      'article',
      { class: 'event', 'aria-labelledby': 'event-title' },
      h('p', { class: 'back' }, h('a', { href: '/' }, '← All events')),
      h('h1', { id: 'event-title' }, event.title),
      h(
        'dl',
        { class: 'facts' },
        h(
          'div',
          null,
          h('dt', null, 'When'),
          h('dd', null, h('time', { datetime: event.startsAt }, formatRange(event.startsAt, event.endsAt))),
        ),
        h('div', null, h('dt', null, 'Where'), h('dd', null, event.venue)),
        h('div', null, h('dt', null, 'Host'), h('dd', null, event.host?.displayName ?? 'Someone')),
        h('div', null, h('dt', null, 'Attendees'), attendees),
      ),
      h('div', { class: 'actions' }, rsvpButton, cancelElsewhere, editLink),
      rsvpStatus,
      event.description &&
        h(
          'section',
          { class: 'about', 'aria-label': 'About this event' },
          h('p', { class: 'prose' }, event.description),
        ),
      h(
        'section',
        { class: 'comments-section', 'aria-labelledby': 'comments-title' },
        h('h2', { id: 'comments-title' }, 'Comments'),
        commentForm,
        commentsStatus,
        noComments,
        commentList,
        h('div', { class: 'more' }, moreComments),
      ),
    ),
  );
}
