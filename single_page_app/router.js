// History API routes: /, /new, /account, /events/<id>, /events/<id>/edit. Same-origin links navigate without a reload.

/** @type {[string, RegExp][]} */
const ROUTES = [
  ['list', /^\/$/],
  ['create', /^\/new$/],
  ['account', /^\/account$/],
  ['event', /^\/events\/([^/]+)$/],
  ['edit', /^\/events\/([^/]+)\/edit$/],
];

/** @type {(route: Route, options: ShowOptions) => void} */
let onRoute = () => {};
/** @type {string | null} */
let shown = null; // the path (and query) on screen

/**
 * Renders the current location, unless only its #fragment changed (the skip link, an in-page anchor).
 * @param {ShowOptions} options
 */
function show(options) {
  const path = location.pathname + location.search;
  if (path === shown && !options.refresh) return;
  shown = path;
  onRoute(match(location.pathname), options);
}

/** @param {string} pathname @returns {Route} */
export function match(pathname) {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [name, pattern] of ROUTES) {
    const found = pattern.exec(path);
    if (found) return { name, id: found[1] ? decodeURIComponent(found[1]) : null };
  }
  return { name: 'notFound', id: null };
}

/**
 * render(route, {initial}) is called for the first page and after every navigation.
 * @param {typeof onRoute} render
 */
export function startRouter(render) {
  onRoute = render;
  document.addEventListener('click', (event) => {
    const target = /** @type {Element | null} */ (event.target);
    const link = /** @type {HTMLAnchorElement | null | undefined} */ (target?.closest?.('a[href]'));
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    if (link.hash && link.pathname === location.pathname) return; // in-page anchor, e.g. the skip link
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
  // A fragment navigation fires popstate too; re-rendering then would throw away the page the visitor is using.
  addEventListener('popstate', () => show({ initial: false }));
  show({ initial: true });
}

/**
 * flash: a message for the next page's status area (e.g. "Event created.").
 * @param {string} path @param {{replace?: boolean, flash?: string | null}} [options]
 */
export function navigate(path, { replace = false, flash = null } = {}) {
  history[replace ? 'replaceState' : 'pushState']({ flash }, '', path);
  scrollTo(0, 0);
  shown = null; // a link to the page on screen opens it afresh
  show({ initial: false });
}

export function refresh() {
  show({ initial: false, refresh: true });
}

/** The flash message left by navigate(), shown once. */
export function takeFlash() {
  const flash = history.state?.flash ?? null;
  if (flash) history.replaceState({ ...history.state, flash: null }, '');
  return flash;
}
