// Who may do what, decided as the API decides it (resolvers/logic); the API still has the last word.
export const ADMINS_GROUP = 'admins';

/** user: auth.currentUser(). */
export function isAdmin(user) {
  return Boolean(user?.groups?.includes(ADMINS_GROUP));
}

/** An event's host and admins may edit or delete it. */
export function canEdit(user, event) {
  if (!user) return false;
  return user.id === event.host?.id || isAdmin(user);
}

/** A comment's author and the event's host may delete it (admins only as one of those). */
export function canDeleteComment(user, event, comment) {
  if (!user) return false;
  return user.id === comment.author?.id || user.id === event.host?.id;
}
