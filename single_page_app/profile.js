// The signed-in user's display name as the API has it (User.displayName, the one source), for the header and the
// account page. Until the API has answered, the page shows the username the token names.

/** @type {Set<() => void>} */
const listeners = new Set();
/** @type {{id: string | null, displayName: string | null}} */
let known = { id: null, displayName: null };
/** @type {ReturnType<GatherApi['me']> | null} */
let loading = null;

/**
 * Loads the name for whoever signs in.
 * @param {GatherApi} api @param {Auth} auth
 */
export function createProfile(api, auth) {
  function notify() {
    for (const listener of listeners) listener();
  }

  async function load() {
    const user = auth.currentUser();
    if (!user) {
      known = { id: null, displayName: null };
      notify();
      return;
    }
    const asked = user.id;
    loading ??= api.me().finally(() => {
      loading = null;
    });
    try {
      const me = await loading;
      if (auth.currentUser()?.id !== asked || !me) return;
      known = { id: me.id, displayName: me.displayName };
      notify();
    } catch {
      // The header keeps the username; the next sign-in or the account page asks again.
    }
  }

  auth.onChange(load);
  load();

  return {
    /** @param {User | null} user */
    displayName: (user) => (user && known.id === user.id && known.displayName) || user?.displayName || '',
    /**
     * After a change through the API (setDisplayName's answer).
     * @param {{id: string, displayName: string}} me
     */
    remember(me) {
      known = { id: me.id, displayName: me.displayName };
      notify();
    },
    /** @param {() => void} listener */
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
