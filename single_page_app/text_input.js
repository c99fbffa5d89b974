// Text a visitor types (a title, a comment, a display name) checked against config.json's limits before it is sent,
// in the API's own words (resolvers/logic/validation.py): the page says what is wrong without asking the API.

/**
 * What is wrong with a text field, as the API says it, or null. Length counts characters as the API does (code
 * points, so an emoji is one); blank is refused where the text is required.
 * @param {TextField} name @param {string} value @param {Config} config @param {boolean} [required]
 */
export function textProblem(name, value, config, required = true) {
  const cleaned = value.trim();
  if (!cleaned) return required ? `${name} must not be empty` : null;
  const maximum = config.limits.textMaxLength[name];
  const length = [...cleaned].length;
  return length > maximum ? `${name} must be at most ${maximum} characters, not ${length}` : null;
}
