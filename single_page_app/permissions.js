// Who may do what, decided as the API decides it (resolvers/logic); the API still has the last word.
// Who is an admin comes from config.json's adminsGroup (auth.currentUser().isAdmin).

/** user: auth.currentUser(). */
export function isAdmin(user) {
  return Boolean(user?.isAdmin);
}

/** An event's host and admins may edit or delete it. */
export function canEdit(user, event) {
  if (!user) return false;
  return user.id === event.host?.id || isAdmin(user);
}

/** A comment's author, the event's host and admins may delete it. */
export function canDeleteComment(user, event, comment) {
  if (!user) return false;
  return user.id === comment.author?.id || user.id === event.host?.id || isAdmin(user);
}
