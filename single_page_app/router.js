// History API routes: /, /new, /events/<id>, /events/<id>/edit. Same-origin links navigate without a reload.

const ROUTES = [
  ['list', /^\/$/],
  ['create', /^\/new$/],
  ['event', /^\/events\/([^/]+)$/],
  ['edit', /^\/events\/([^/]+)\/edit$/],
];

let onRoute = () => {};

export function match(pathname) {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [name, pattern] of ROUTES) {
    const found = pattern.exec(path);
    if (found) return { name, id: found[1] ? decodeURIComponent(found[1]) : null };
  }
  return { name: 'notFound', id: null };
}

/** render(route, {initial}) is called for the first page and after every navigation. */
export function startRouter(render) {
  onRoute = render;
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[href]');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    if (link.hash && link.pathname === location.pathname) return; // in-page anchor, e.g. the skip link
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
  addEventListener('popstate', () => onRoute(match(location.pathname), { initial: false }));
  onRoute(match(location.pathname), { initial: true });
}

/** flash: a message for the next page's status area (e.g. "Event created."). */
export function navigate(path, { replace = false, flash = null } = {}) {
  history[replace ? 'replaceState' : 'pushState']({ flash }, '', path);
  scrollTo(0, 0);
  onRoute(match(location.pathname), { initial: false });
}

export function refresh() {
  onRoute(match(location.pathname), { initial: false, refresh: true });
}

/** The flash message left by navigate(), shown once. */
export function takeFlash() {
  const flash = history.state?.flash ?? null;
  if (flash) history.replaceState({ ...history.state, flash: null }, '');
  return flash;
}
