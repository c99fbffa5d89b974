// Who may do what, decided as the API decides it (resolvers/logic/events.py); the API still has the last word.
export const ADMINS_GROUP = 'admins';

/** An event's host and admins may edit it. user: auth.currentUser(). */
export function canEdit(user, event) {
  if (!user) return false;
  return user.id === event.host?.id || (user.groups ?? []).includes(ADMINS_GROUP);
}
