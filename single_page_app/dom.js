// Building DOM from nodes, never from HTML strings: text is always text, and nothing needs inline styles or scripts.

/**
 * The nodes and text to put in an element: `cond && node` may leave false, null or undefined, which mean "nothing"
 * (the DOM itself would print them as words). Anything else that is not a node, a string or a number is a bug, and
 * throws rather than show "[object Object]" or "true".
 * @param {unknown[]} children
 * @returns {(Node | string)[]}
 */
function content(children) {
  const kept = [];
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    if (child instanceof Node || typeof child === 'string') kept.push(child);
    else if (typeof child === 'number' && Number.isFinite(child)) kept.push(String(child));
    else throw new TypeError(`Not something to show on a page: ${String(child)}`);
  }
  return kept;
}

/**
 * h('a', {href: '/', class: 'x', onclick: fn}, 'text', child, [more])
 * @template {keyof HTMLElementTagNameMap} T
 * @param {T} tag @param {Record<string, any> | null} props @param {...unknown} children
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...content(children));
  return element;
}

/**
 * Replaces what `element` holds, as h() fills a new one: the way every view changes what it shows.
 * @param {Element} element @param {...unknown} children
 */
export function fill(element, ...children) {
  element.replaceChildren(...content(children));
}

/**
 * A notice inside a live region: kind 'info' | 'success' | 'error'.
 * @param {string | null} kind @param {string} message @param {Action | null} [action]
 */
export function notice(kind, message, action = null) {
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : null },
    h('p', null, message),
    action && h('button', { type: 'button', class: 'button small', onclick: action.onclick }, action.label),
  );
}

/**
 * Shows a notice in a live region (or clears it with message = null).
 * @param {Element} region @param {string | null} kind @param {string | null} [message] @param {Action | null} [action]
 */
export function say(region, kind, message, action) {
  fill(region, message && notice(kind, message, action));
}

/** @param {Element} button */
export const isBusy = (button) => button.getAttribute('aria-disabled') === 'true';

/**
 * Marks a button busy while work runs (aria-disabled keeps keyboard focus on it); restores it afterwards.
 * @template R
 * @param {Element} button @param {string} label @param {() => Promise<R>} work
 */
export async function busy(button, label, work) {
  const idle = button.textContent;
  button.setAttribute('aria-disabled', 'true');
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.removeAttribute('aria-disabled');
    if (button.textContent === label) button.textContent = idle;
  }
}

/** @param {string} title */
export function setTitle(title) {
  document.title = title ? `${title} · Gather` : 'Gather';
}

/**
 * Asks before something that cannot be undone, in a modal dialog (Escape or "Cancel" says no; focus starts on
 * "Cancel"). Resolves true when confirmed.
 * @param {{title: string, message: string, confirm: string}} question
 * @returns {Promise<boolean>}
 */
export function confirmAction({ title, message, confirm }) {
  return new Promise((resolve) => {
    let answer = false;
    const yes = () => {
      answer = true;
      dialog.close();
    };
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', { id: 'confirm-message' }, message),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'button danger', onclick: yes }, confirm),
        h('button', { type: 'button', class: 'button secondary', onclick: () => dialog.close() }, 'Cancel'),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    /** @type {HTMLElement} */ (dialog.querySelector('.secondary')).focus();
  });
}
