// Reads /config.json once: the same static files run against the local mirror and against AppSync.
/** @type {Promise<Config> | undefined} */
let loaded;

/** @returns {Promise<Config>} */
export function loadConfig() {
  loaded ??= fetch('/config.json').then(async (response) => {
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    /** @type {Config} */
    const config = await response.json();
    if (typeof config.graphqlUrl !== 'string') throw new Error('config.json has no graphqlUrl');
    return Object.freeze(config);
  });
  return loaded;
}
