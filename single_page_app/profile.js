// The signed-in user's display name as the API has it (User.displayName, the one source), for the header and the
// account page. Until the API has answered, the page shows the username the token names.

const listeners = new Set();
let known = { id: null, displayName: null };
let loading = null;

/** api: operations.js createApi(); auth: auth.js. Loads the name for whoever signs in. */
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
    displayName: (user) => (user && known.id === user.id && known.displayName) || user?.displayName || '',
    /** After a change through the API (setDisplayName's answer). */
    remember(me) {
      known = { id: me.id, displayName: me.displayName };
      notify();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
