// "/events/<id>": details, RSVP / cancel, comments (newest first, older ones a page at a time), edit and delete for
// those allowed, and live updates: AppSync subscriptions keep seats, edits and new comments current while it is open.
import { h, fill, busy, confirmAction, isBusy, notice, say, setTitle } from '../dom.js';
import { formatNumber, formatStamp, seatsLeft } from '../format.js';
import { avatar, person } from '../components/avatar.js';
import { whoIsGoing } from '../components/attendees.js';
import { extraFacts } from '../components/extra_facts.js';
import { calendarAndShare } from '../components/share.js';
import { dateTile, when as whenText } from '../components/when.js';
import { merge } from '../live_event.js';
import { describe, fieldLabel, fieldOf, needsSignIn } from '../messages.js';
import { live } from '../operations.js';
import { may, whoMay } from '../permissions.js';
import { createRealtime } from '../realtime.js';

const LIVE_STATE_TEXT = {
  connecting: 'Connecting for live updates…',
  live: 'Live updates on',
  offline: 'Live updates paused. Reconnecting…',
  refused: 'Live updates are unavailable. Reload the page to see changes.',
};
const NOT_AVAILABLE = 'Signing in is not available here.';

/** The place on OpenStreetMap (a search: venues are free text). */
const mapLink = (venue) => `https://www.openstreetmap.org/search?query=${encodeURIComponent(venue)}`;

/** The description as paragraphs: a blank line starts a new one; single line breaks stay. */
const paragraphs = (text) =>
  text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => h('p', { class: 'prose' }, paragraph));

const seatsLine = (event) => {
  const left = seatsLeft(event);
  return (
    `${formatNumber(event.attendeeCount)} going of ${formatNumber(event.capacity)} · ` +
    (left ? `${formatNumber(left)} ${left === 1 ? 'seat' : 'seats'} left` : 'Full')
  );
};

export async function renderEvent(main, ctx) {
  const { id, config, api, auth, signal, requestSignIn, navigate, flash } = ctx;
  setTitle('Event');
  fill(main, h('p', { class: 'muted', role: 'status' }, 'Loading event…'));
  let event;
  try {
    event = await api.getEvent(id, { signal });
  } catch (error) {
    if (signal.aborted) return;
    fill(
      main,
      h('h1', null, 'Event'),
      notice('error', describe(error), { label: 'Try again', onclick: ctx.refresh }),
    );
    return;
  }
  if (signal.aborted) return;
  if (!event) {
    setTitle('Event not found');
    fill(
      main,
      h('h1', null, 'Event not found'),
      h('p', null, 'This event does not exist, or it was removed. ', h('a', { href: '/' }, 'See upcoming events')),
    );
    return;
  }
  const path = `/events/${encodeURIComponent(event.id)}`;
  let gone = false; // deleted while the page was open

  // Live regions: `updates` (visible) for edits and deletion, `announcer` (for screen readers) for seats and comments.
  const updates = h('div', { class: 'live', 'aria-live': 'polite' });
  const announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });
  const announce = (text) => fill(announcer, h('p', null, text));
  const liveState = h('p', { class: 'live-state', hidden: !config.realtimeUrl });
  const realtime = config.realtimeUrl
    ? createRealtime({
        url: config.realtimeUrl,
        apiUrl: config.graphqlUrl,
        headers: auth.authHeaders,
        retryUnauthorized: auth.retryAfterUnauthorized,
        onState: (state) => {
          liveState.setAttribute('data-state', state);
          liveState.textContent = LIVE_STATE_TEXT[state] ?? '';
        },
      })
    : null;

  /** When signing in would help: a "Sign in" button that signs in, then retries. */
  const signInThen = (error, user, retry) =>
    needsSignIn(error, user) && auth.canSignIn()
      ? { label: 'Sign in', onclick: async () => (await requestSignIn()) && retry() }
      : null;

  /** The signed-in user, asking the visitor to sign in first if need be; null when they cannot or would not. */
  async function actingUser(status) {
    const user = auth.currentUser();
    if (user) return user;
    if (!auth.canSignIn()) {
      say(status, 'error', NOT_AVAILABLE);
      return null;
    }
    return requestSignIn();
  }

  // Details.
  const heading = h('h1', { id: 'event-title' });
  const tile = h('div', { class: 'event-tile' });
  const when = h('dd', { class: 'when' });
  const venue = h('dd', { class: 'venue' });
  const about = h('section', { class: 'about', 'aria-labelledby': 'about-title' });
  const extras = extraFacts(config);

  function renderDetails() {
    setTitle(gone ? `${event.title} (deleted)` : event.title);
    heading.textContent = event.title;
    fill(tile, dateTile(event));
    fill(when, whenText(event));
    fill(
      venue,
      h('span', null, event.venue),
      h(
        'a',
        { href: mapLink(event.venue), class: 'map-link', target: '_blank', rel: 'noopener' },
        'Open in a map',
        h('span', { class: 'visually-hidden' }, ' (OpenStreetMap, new tab)'),
      ),
    );
    fill(about, h('h2', { id: 'about-title' }, 'About'), paragraphs(event.description ?? ''));
    about.hidden = !event.description?.trim();
    extras.show(event);
  }

  // Seats, RSVP, edit and delete. Whether the visitor holds a seat is Event.hasSeat (null when signed out), read
  // with the event, after signing in or out, and from the visitor's RSVP answers; the page keeps no record.
  const attendees = h('dd', { class: 'attendees' });
  const rsvpButton = h('button', { type: 'button', class: 'button' });
  const rsvpStatus = h('div', { class: 'live', 'aria-live': 'polite' });
  const editLink = h('a', { href: `${path}/edit`, class: 'button secondary' }, 'Edit event');
  const deleteButton = h('button', { type: 'button', class: 'button secondary danger' }, 'Delete event');
  const actions = h(
    'div',
    { class: 'actions' },
    rsvpButton,
    calendarAndShare(() => event, rsvpStatus),
    editLink,
    deleteButton,
  );
  const attendeeList = whoIsGoing({ eventId: event.id, api, auth, signal, requestSignIn });
  let going = auth.currentUser() ? Boolean(event.hasSeat) : false;

  function renderSeatsAndActions() {
    const user = auth.currentUser();
    editLink.hidden = gone || !may(config, user, 'updateEvent', { event });
    deleteButton.hidden = gone || !may(config, user, 'deleteEvent', { event });
    attendees.textContent = seatsLine(event);
    const left = seatsLeft(event);
    if (isBusy(rsvpButton)) return;
    rsvpButton.textContent = going ? 'Cancel RSVP' : left ? 'RSVP' : 'Event full';
    rsvpButton.className = going ? 'button secondary' : 'button';
    rsvpButton.disabled = !going && !left;
  }

  /** Shows what changed; `own`: the visitor's own action, which says so itself (no announcement of seats). */
  function showChanges(changed, { own = false } = {}) {
    if (!changed.length || gone) return;
    const edited = changed.filter((name) => config.editableFields.includes(name));
    if (edited.length) {
      renderDetails();
      const names = [...new Set(edited.map(fieldLabel))];
      say(updates, 'info', `This event was just updated (${names.join(', ')}).`);
    }
    renderSeatsAndActions();
    if (changed.includes('attendeeCount')) attendeeList.reload(event.attendeeCount);
    if (!own && (changed.includes('attendeeCount') || changed.includes('capacity'))) {
      announce(`Seats: ${attendees.textContent}.`);
    }
  }

  async function changeRsvp(button, cancel) {
    if (isBusy(button)) return;
    say(rsvpStatus, null);
    const wasSignedIn = Boolean(auth.currentUser());
    const user = await actingUser(rsvpStatus);
    if (!user || signal.aborted || gone) return;
    if (!wasSignedIn) {
      await seatNow(); // whether the person who just signed in holds a seat here already
      if (signal.aborted || gone) return;
      if (going && !cancel) {
        say(rsvpStatus, 'info', 'You already have a seat at this event.');
        return;
      }
    }
    try {
      const seats = await busy(button, cancel ? 'Cancelling…' : 'Saving…', () =>
        cancel ? api.cancelRsvp(event.id) : api.rsvp(event.id),
      );
      if (signal.aborted) return;
      going = Boolean(seats.hasSeat);
      showChanges(merge(event, seats), { own: true });
      say(rsvpStatus, 'success', cancel ? 'Your RSVP is cancelled.' : "You're going! Your seat is saved.");
    } catch (error) {
      if (signal.aborted) return;
      if (error.errorType === 'NotFound') return deleted();
      if (error.errorType === 'AlreadyRsvped') going = true;
      if (error.errorType === 'NotRsvped') going = false;
      if (error.errorType === 'EventFull') event.attendeeCount = Math.max(event.attendeeCount, event.capacity);
      const retry = () => changeRsvp(button, cancel);
      const now = auth.currentUser(); // null if the session ended meanwhile (the request then went without it)
      say(rsvpStatus, 'error', describe(error, now), signInThen(error, now, retry));
    }
    renderSeatsAndActions();
  }
  rsvpButton.addEventListener('click', () => changeRsvp(rsvpButton, going));

  /** Asks the API whether the visitor (now) holds a seat, e.g. after signing in or out. */
  async function seatNow() {
    if (!auth.currentUser()) {
      going = false;
      renderSeatsAndActions();
      return;
    }
    try {
      const now = await api.eventNow(event.id, { signal });
      if (signal.aborted) return;
      if (!now) return deleted();
      going = Boolean(now.hasSeat);
      showChanges(merge(event, now));
      renderSeatsAndActions();
    } catch {
      // The RSVP button's answer (AlreadyRsvped / NotRsvped) sets it right.
    }
  }

  deleteButton.addEventListener('click', async () => {
    if (isBusy(deleteButton)) return;
    const confirmed = await confirmAction({
      title: 'Delete this event?',
      message: `“${event.title}” and its RSVPs and comments will be removed for everyone. This cannot be undone.`,
      confirm: 'Delete event',
    });
    if (!confirmed || signal.aborted || gone) return;
    const user = auth.currentUser();
    say(rsvpStatus, null);
    try {
      await busy(deleteButton, 'Deleting…', () => api.deleteEvent(event.id));
      if (signal.aborted) return;
      navigate('/', { flash: `“${event.title}” was deleted.` });
    } catch (error) {
      if (signal.aborted) return;
      if (error.errorType === 'NotFound') return deleted();
      say(
        rsvpStatus,
        'error',
        describe(error, user, { Unauthorized: `Only ${whoMay(config, 'deleteEvent')} can delete this event.` }),
      );
    }
  });

  // Comments.
  const commentList = h('ol', { class: 'comments' });
  const noComments = h('p', { class: 'muted' }, 'No comments yet. Be the first to say something.');
  const moreComments = h('button', { type: 'button', class: 'button secondary' }, 'Show older comments');
  const commentsStatus = h('div', { class: 'live', 'aria-live': 'polite' });
  const commentsTitle = h('h2', { id: 'comments-title', tabindex: -1 }, 'Comments');
  const seen = new Set(); // every comment id ever shown, so a late live copy of a deleted one stays away
  const shown = new Map(); // id → {comment, item, remove}
  let commentsToken = null;

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
    remove.hidden = gone || !may(config, auth.currentUser(), 'deleteComment', { event, comment });
    remove.addEventListener('click', () => deleteComment(comment, remove));
    shown.set(comment.id, { comment, item, remove });
    return item;
  }

  function renderCommentControls() {
    const user = auth.currentUser();
    for (const { comment, remove } of shown.values()) {
      remove.hidden = gone || !may(config, user, 'deleteComment', { event, comment });
    }
  }

  /** Adds the comments not shown yet; returns how many. */
  function addComments(page, where = 'append') {
    const fresh = page.items.filter((comment) => comment?.id && !seen.has(comment.id));
    fresh.forEach((comment) => seen.add(comment.id));
    commentList[where](...fresh.map(commentItem));
    noComments.hidden = shown.size > 0;
    return fresh.length;
  }
  function setCommentsToken(token) {
    commentsToken = token;
    moreComments.hidden = !token || gone;
  }
  addComments(event.comments);
  setCommentsToken(event.comments.nextToken);

  function removeComment(commentId) {
    shown.get(commentId)?.item.remove();
    shown.delete(commentId);
    noComments.hidden = shown.size > 0;
  }

  async function deleteComment(comment, button) {
    if (isBusy(button)) return;
    const confirmed = await confirmAction({
      title: 'Delete this comment?',
      message: 'It will be removed for everyone. This cannot be undone.',
      confirm: 'Delete comment',
    });
    if (!confirmed || signal.aborted) return;
    const user = auth.currentUser();
    say(commentsStatus, null);
    try {
      await busy(button, 'Deleting…', () => api.deleteComment(event.id, comment.id));
      if (signal.aborted) return;
      removeComment(comment.id);
      say(commentsStatus, 'success', 'Comment deleted.');
    } catch (error) {
      if (signal.aborted) return;
      if (error.errorType === 'NotFound') {
        removeComment(comment.id);
        checkNow(); // the event itself may be gone
      }
      say(
        commentsStatus,
        'error',
        describe(error, user, {
          NotFound: 'This comment was already deleted.',
          Unauthorized: `Only ${whoMay(config, 'deleteComment')} can delete it.`,
        }),
      );
    }
    if (!button.isConnected) commentsTitle.focus(); // the comment went, and the focus with it
  }

  moreComments.addEventListener('click', async () => {
    if (isBusy(moreComments)) return;
    try {
      const page = await busy(moreComments, 'Loading…', () => api.moreComments(event.id, commentsToken, { signal }));
      addComments(page);
      setCommentsToken(page.nextToken);
      say(commentsStatus, 'info', `Showing ${shown.size} comments${page.nextToken ? '' : ', all there are'}.`);
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
    maxlength: config.limits.textMaxLength.content,
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
    const user = await actingUser(commentsStatus);
    if (!user || signal.aborted || gone) return;
    try {
      const comment = await busy(postButton, 'Posting…', () => api.commentOnEvent(event.id, content.value));
      if (signal.aborted) return;
      addComments({ items: [comment] }, 'prepend'); // unless its live copy came first
      content.value = '';
      say(commentsStatus, 'success', 'Comment posted.');
    } catch (error) {
      if (signal.aborted) return;
      if (error.errorType === 'NotFound') return deleted();
      if (fieldOf(error) === 'content') {
        showContentError(describe(error));
        content.focus();
      } else {
        const now = auth.currentUser();
        say(commentsStatus, 'error', describe(error, now), signInThen(error, now, postComment));
      }
    }
  }
  commentForm.addEventListener('submit', postComment);

  // Live updates.
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
        const now = await api.eventNow(event.id, { signal });
        if (signal.aborted) return;
        if (!now) return deleted();
        if (auth.currentUser()) going = Boolean(now.hasSeat);
        showChanges(merge(event, now));
        renderSeatsAndActions();
      } while (checkAgain);
    } catch {
      // Unknown for now; the next update or a reload tells.
    } finally {
      checking = false;
    }
  }

  function eventChanged(copy) {
    if (gone) return;
    const changed = merge(event, copy);
    // Nothing new: the echo of the visitor's own change, or a deletion (which carries the event as it was).
    if (changed.length) showChanges(changed);
    else checkNow();
  }

  function commentAdded(comment) {
    if (gone || !comment?.id || seen.has(comment.id) || comment.eventId !== event.id) return;
    addComments({ items: [comment] }, 'prepend');
    if (comment.author?.id !== auth.currentUser()?.id) {
      announce(`New comment from ${comment.author?.displayName ?? 'someone'}.`);
    }
  }

  function commentDeleted(comment) {
    if (gone || !comment?.id || comment.eventId !== event.id || !shown.has(comment.id)) return;
    removeComment(comment.id);
    announce('A comment was deleted.');
  }

  /** After a dropped connection: what happened meanwhile (AppSync does not replay). */
  async function catchUp() {
    try {
      const fresh = await api.getEvent(event.id, { signal });
      if (signal.aborted || gone) return;
      if (!fresh) return deleted();
      showChanges(merge(event, fresh));
      const added = addComments(fresh.comments, 'prepend');
      if (added) announce(`${added} new ${added === 1 ? 'comment' : 'comments'}.`);
    } catch {
      // The next update or a reload tells.
    }
  }

  function deleted() {
    if (gone) return;
    gone = true;
    realtime?.close();
    renderDetails();
    renderSeatsAndActions();
    renderCommentControls();
    for (const part of [actions, rsvpStatus, commentForm, moreComments, liveState]) part.hidden = true;
    fill(
      updates,
      h(
        'div',
        { class: 'notice notice-error' },
        h('p', null, 'This event has been deleted. RSVPs and comments are closed.'),
        h('a', { href: '/' }, 'See upcoming events'),
      ),
    );
  }

  signal.addEventListener('abort', () => realtime?.close());
  realtime?.subscribe(live.eventChanged(event.id), { next: (payload) => eventChanged(payload.data?.onEventChanged) });
  realtime?.subscribe(live.commentAdded(event.id), {
    // Null (with errors) when the comment's mutation did not select all this page asks for: AppSync runs the page's
    // selection over the mutation's result. The page then reads what it missed.
    next: (payload) => (payload.errors?.length ? catchUp() : commentAdded(payload.data?.onCommentAdded)),
  });
  realtime?.subscribe(live.commentDeleted(event.id), {
    next: (payload) => commentDeleted(payload.data?.onCommentDeleted),
  });
  realtime?.onResume(catchUp);

  // Signing in or out (here or in another tab) changes what the visitor may do, and the live connection's credentials.
  const stopWatchingAuth = auth.onChange(() => {
    seatNow();
    attendeeList.reload(event.attendeeCount);
    renderSeatsAndActions();
    renderCommentControls();
    realtime?.reconnect();
  });
  signal.addEventListener('abort', stopWatchingAuth);

  renderDetails();
  renderSeatsAndActions();
  attendeeList.reload(event.attendeeCount);
  if (flash) say(rsvpStatus, 'success', flash);

  fill(
    main,
    h(
      'article',
      { class: 'event', 'aria-labelledby': 'event-title' },
      h('p', { class: 'back' }, h('a', { href: '/' }, '← All events')),
      h(
        'header',
        { class: 'event-head' },
        tile,
        h(
          'div',
          null,
          heading,
          h('p', { class: 'event-host' }, person(event.host, `Hosted by ${event.host?.displayName ?? 'someone'}`)),
        ),
      ),
      liveState,
      updates,
      announcer,
      h(
        'dl',
        { class: 'facts' },
        h('div', null, h('dt', null, 'When'), when),
        h('div', null, h('dt', null, 'Where'), venue),
        h('div', null, h('dt', null, 'Seats'), attendees),
        ...extras.rows,
      ),
      actions,
      rsvpStatus,
      about,
      attendeeList.section,
      h(
        'section',
        { class: 'comments-section', 'aria-labelledby': 'comments-title' },
        commentsTitle,
        commentForm,
        commentsStatus,
        noComments,
        commentList,
        h('div', { class: 'more' }, moreComments),
      ),
    ),
  );
}
