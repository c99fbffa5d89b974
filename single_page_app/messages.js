// API errors as words a visitor can act on. Branches on errorType, never on message text: which input field
// an error is about comes from config.json's errorFields (errorType -> field), set once by learnErrorFields.

/** @type {Record<string, string>} */
const TEXT = {
  NotFound: 'This event no longer exists.',
  VersionConflict: 'Someone else changed this event since you opened it.',
  EventFull: 'Sorry, this event is full.',
  AlreadyRsvped: 'You already have a seat at this event.',
  NotRsvped: 'You have no seat at this event to cancel.',
  EventNotFull: 'A seat is free: take it instead of joining the waitlist.',
  AlreadyAttending: 'You already have a seat at this event.',
  AlreadyWaiting: 'You are already on the waitlist.',
  NotWaiting: 'You are not on the waitlist (perhaps a seat just came your way).',
  CapacityBelowAttendance: 'More people are attending than that capacity allows.',
  InvalidNextToken: 'The list has changed. Reload the page to see it from the start.',
  SignInRequired: 'Sign in to do this.',
  Unauthorized: 'You are not allowed to do that.',
  Busy: 'Lots of people are doing this right now. Please try again.',
  UnauthorizedException: 'The app is not allowed to reach the server. Please try again later.',
  NetworkError: 'Could not reach the server. Check your connection and try again.',
  HttpError: 'The server had a problem. Please try again.',
};

/**
 * Field names as the API spells them → how the page names them, where words say it better than the name itself.
 * @satisfies {Partial<Record<InputField, string>>}
 */
const FIELD_LABELS = {
  title: 'title',
  description: 'description',
  venue: 'venue',
  startsAt: 'start time',
  endsAt: 'end time',
  capacity: 'capacity',
  content: 'comment',
  timeZone: 'time zone',
  displayName: 'display name',
};

/**
 * How the page names a field: its label, or the name in words for one without ("ticketPrice" → "ticket price"), so a
 * field added to the API is named without a label written for it.
 * @param {string} name
 */
export const fieldLabel = (name) =>
  /** @type {Partial<Record<string, string>>} */ (FIELD_LABELS)[name] ?? name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

/** @param {Iterable<string>} names */
const namesIn = (names) => new RegExp(`\\b(${[...new Set(names)].join('|')})\\b`, 'g');
/** The field names messages may mention: the labelled ones, and every one config.json's errorFields names. */
let fieldNames = namesIn(Object.keys(FIELD_LABELS));

/**
 * "endsAt must be after startsAt" → "End time must be after start time".
 * @param {string} message
 */
export function humanize(message) {
  const text = message.replace(fieldNames, fieldLabel);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** @type {Config['errorFields']} */
let errorFields = {};

/**
 * config.errorFields: {InvalidTitle: 'title', …}, from the API's own list (resolvers/errors.py).
 * @param {Config['errorFields']} fields
 */
export function learnErrorFields(fields) {
  errorFields = { ...fields };
  fieldNames = namesIn([...Object.keys(FIELD_LABELS), ...Object.values(fields)]);
}

/** @param {unknown} error @returns {{errorType?: string, message?: string}} */
const failure = (error) => (error && typeof error === 'object' ? error : {});

/**
 * The API's errorType of a failed request (graphql.js ApiError), or '' for any other failure.
 * @param {unknown} error
 */
export const errorTypeOf = (error) => failure(error).errorType ?? '';

/**
 * The input field an error is about (its errorType says), or null.
 * @param {unknown} error
 */
export function fieldOf(error) {
  const type = failure(error).errorType ?? '';
  return Object.hasOwn(errorFields, type) ? errorFields[type] : null;
}

/**
 * Whether signing in would help: SignInRequired, or AppSync refusing a signed-out caller (Unauthorized).
 * @param {unknown} error @param {User | null} user
 */
export function needsSignIn(error, user) {
  const type = failure(error).errorType;
  return type === 'SignInRequired' || (type === 'Unauthorized' && !user);
}

/**
 * user: auth.currentUser() when the request was made; it decides what Unauthorized means.
 * instead: {errorType: text} for what an error means to this one request (e.g. NotFound when deleting a comment).
 * @param {unknown} error @param {User | null} [user] @param {Record<string, string>} [instead]
 */
export function describe(error, user = null, instead = {}) {
  const { errorType = '', message = '' } = failure(error);
  if (needsSignIn(error, user)) return TEXT.SignInRequired;
  if (errorType in instead) return instead[errorType];
  if (errorType === 'ValidationError' || fieldOf(error)) return humanize(message);
  // Anything else (Lambda:Unhandled, InternalFailure…) is not the visitor's to read; the network panel has it.
  return TEXT[errorType] ?? 'Something went wrong. Please try again.';
}
