// A person's avatar without uploads: their initials on a colour derived from their user id, the same on every page
// and for every visitor. Decorative (aria-hidden): the name is always written beside it.
import { h } from '../dom.js';

/** How many avatar colours styles.css defines (.avatar-0 … .avatar-7), each with white text at AA contrast. */
export const AVATAR_COLOURS = 8;

/**
 * Up to two initials: of the first and last word, whole characters (an emoji or a CJK name stays intact).
 * @param {string | null | undefined} name
 */
export function initials(name) {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '?';
  const first = (/** @type {string} */ word) => Array.from(word)[0].toLocaleUpperCase('en');
  return words.length === 1 ? first(words[0]) : first(words[0]) + first(words[words.length - 1]);
}

/**
 * A stable colour for a user id (FNV-1a over its UTF-16 units, folded).
 * @param {string | null | undefined} id
 */
export function colourOf(id) {
  let hash = 0x811c9dc5;
  for (const unit of id ?? '') {
    hash ^= unit.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return ((hash ^ (hash >>> 16)) >>> 0) % AVATAR_COLOURS; // FNV's low bits alone barely change with the last unit
}

/**
 * @param {{id?: string | null, displayName?: string | null} | null | undefined} user
 * @param {'small' | 'large' | null} [size]
 */
export function avatar(user, size = null) {
  const classes = ['avatar', `avatar-${colourOf(user?.id)}`, size && `avatar-${size}`].filter(Boolean).join(' ');
  return h('span', { class: classes, 'aria-hidden': 'true' }, initials(user?.displayName));
}

/**
 * An avatar with words beside it (the person's name, unless told otherwise).
 * @param {{id?: string | null, displayName?: string | null} | null | undefined} user
 * @param {string} [text]
 */
export function person(user, text = user?.displayName ?? 'Someone') {
  return h('span', { class: 'person' }, avatar(user, 'small'), h('span', { class: 'person-name' }, text));
}
