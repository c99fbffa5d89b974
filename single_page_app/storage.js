// localStorage that never throws (private windows, full quota, disabled storage).
/** @param {string} key @param {any} [fallback] @returns {any} */
export function read(key, fallback = null) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** @param {string} key @param {unknown} value */
export function write(key, value) {
  try {
    if (value === null || value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // The page keeps working; the value is simply not remembered.
  }
}
