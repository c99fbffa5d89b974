// Who may do what: config.json's permissions (mutation -> roles), the API's rules (resolvers/logic/permissions.py),
// read to decide what to offer; the API has the last word.

/**
 * Whether a signed-in user (whose id is never empty) holds a role on subject {event, comment}.
 * @type {Record<string, (user: User, subject: Subject) => boolean>}
 */
const HOLDS = {
  host: (user, { event }) => user.id === event?.host?.id,
  author: (user, { comment }) => user.id === comment?.author?.id,
  admin: (user) => Boolean(user.isAdmin), // auth.js: in config.json's adminsGroup
};
/** @param {Config} config @param {Permission} action */
const rolesFor = (config, action) => config.permissions?.[action] ?? [];

/**
 * Whether user (auth.currentUser()) may perform action (a mutation) on subject {event, comment}.
 * @param {Config} config @param {User | null} user @param {Permission} action @param {Subject} subject
 */
export function may(config, user, action, subject) {
  return !!user && rolesFor(config, action).some((role) => HOLDS[role]?.(user, subject) ?? false);
}

/**
 * Who may perform action, in words: "the comment's author, the event's host or an admin".
 * @param {Config} config @param {Permission} action
 */
export function whoMay(config, action) {
  const words = rolesFor(config, action).map((role) => config.roleWords?.[role] ?? role);
  return words.length < 2 ? (words[0] ?? 'nobody') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
