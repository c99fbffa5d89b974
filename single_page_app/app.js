// Entry point: config → auth → API client → router → views.
import { loadConfig } from './config.js';
import * as auth from './auth.js';
import { h, fill, setTitle } from './dom.js';
import { createClient } from './graphql.js';
import { learnErrorFields } from './messages.js';
import { createApi } from './operations.js';
import { createProfile } from './profile.js';
import { match, navigate, refresh, startRouter, takeFlash } from './router.js';
import { mountAccount } from './views/account.js';

const main = /** @type {HTMLElement} */ (document.getElementById('main')); // index.html's, always there

function renderNotFound() {
  setTitle('Page not found');
  fill(
    main,
    h('h1', null, 'Page not found'),
    h('p', null, 'There is nothing at this address. ', h('a', { href: '/' }, 'See upcoming events')),
  );
}

/**
 * A view that failed while drawing (a bug, or settings it did not expect): says so plainly, offers a way back, and
 * leaves the details in the console. Never the half-drawn page, which could tell the visitor something untrue.
 * @param {unknown} error
 */
function renderFailure(error) {
  console.error('Gather could not show this page:', error);
  setTitle('Something went wrong');
  fill(
    main,
    h('h1', null, 'Something went wrong'),
    h('p', null, 'This page could not be shown. Try again, or go back to the events.'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'button', onclick: () => refresh() }, 'Try again'),
      h('a', { href: '/', class: 'button secondary' }, 'See upcoming events'),
    ),
  );
  main.focus();
}

// What a view's own handlers (a click, a sign-in, a late answer) fail to catch ends the same way.
addEventListener('error', (event) => {
  event.preventDefault();
  renderFailure(event.error ?? event.message);
});
addEventListener('unhandledrejection', (event) => {
  if (event.reason?.name === 'AbortError') return;
  event.preventDefault();
  renderFailure(event.reason);
});

/**
 * Each view is a module of its own, fetched when first needed (index.html preloads the list's).
 * @type {Record<string, () => Promise<(main: HTMLElement, ctx: ViewContext) => unknown>>}
 */
const VIEWS = {
  list: () => import('./views/list.js').then((module) => module.renderList),
  event: () => import('./views/event.js').then((module) => module.renderEvent),
  create: () => import('./views/form.js').then((module) => module.renderForm),
  edit: () => import('./views/form.js').then((module) => module.renderForm),
  account: () => import('./views/profile.js').then((module) => module.renderProfile),
  notFound: async () => renderNotFound,
};

/** @param {string} pathname */
function markCurrentNav(pathname) {
  for (const link of document.querySelectorAll('.nav-list a')) {
    if (!(link instanceof HTMLAnchorElement)) continue;
    if (link.pathname === pathname) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function start() {
  VIEWS[match(location.pathname).name]().catch(() => {}); // fetch the first view while config.json loads
  let config;
  try {
    config = await loadConfig();
  } catch {
    setTitle('Unavailable');
    fill(
      main,
      h('h1', null, 'Gather is unavailable'),
      h('p', null, 'Its settings could not be loaded. Please try again later.'),
    );
    return;
  }
  auth.init(config);
  learnErrorFields(config.errorFields);
  const api = createApi(
    createClient({ url: config.graphqlUrl, headers: auth.authHeaders, retryUnauthorized: auth.retryAfterUnauthorized }),
  );
  const profile = createProfile(api, auth);
  const { requestSignIn } = mountAccount(auth, profile);
  /** @type {AbortController | null} */
  let controller = null;

  startRouter(async (route, { initial }) => {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    markCurrentNav(location.pathname);
    /** @type {ViewContext} */
    const ctx = { ...route, config, api, auth, profile, navigate, refresh, requestSignIn, signal, flash: takeFlash() };
    let render;
    try {
      render = await VIEWS[route.name]();
    } catch {
      if (signal.aborted) return;
      setTitle('Unavailable');
      fill(
        main,
        h('h1', null, 'This page could not be loaded'),
        h('p', null, 'Check your connection and reload the page.'),
      );
      return;
    }
    if (signal.aborted) return;
    try {
      const drawn = render(main, ctx);
      if (!initial) main.focus();
      await drawn;
    } catch (error) {
      if (!signal.aborted) renderFailure(error);
    }
  });
}

start();
