// The events the visitor holds a seat at, per user, remembered in localStorage (the API has no such field).
import { read, write } from './storage.js';

const key = (user) => `gather.rsvps.${user?.id ?? 'anonymous'}`;

export function hasRsvp(user, eventId) {
  return read(key(user), []).includes(eventId);
}

export function rememberRsvp(user, eventId, going) {
  const ids = read(key(user), []).filter((id) => id !== eventId);
  if (going) ids.push(eventId);
  write(key(user), ids.slice(-500));
}
