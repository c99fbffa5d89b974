// API errors as words a visitor can act on. Branches on errorType, never on message text: which input field
// an error is about comes from config.json's errorFields (errorType -> field), set once by learnErrorFields.

const TEXT = {
  NotFound: 'This event no longer exists.',
  VersionConflict: 'Someone else changed this event since you opened it.',
  EventFull: 'Sorry, this event is full.',
  AlreadyRsvped: 'You already have a seat at this event.',
  NotRsvped: 'You have no seat at this event to cancel.',
  CapacityBelowAttendance: 'More people are attending than that capacity allows.',
  InvalidNextToken: 'The list has changed. Reload the page to see it from the start.',
  SignInRequired: 'Sign in to do this.',
  Unauthorized: 'You are not allowed to do that.',
  Busy: 'Lots of people are doing this right now. Please try again.',
  UnauthorizedException: 'The app is not allowed to reach the server. Please try again later.',
  NetworkError: 'Could not reach the server. Check your connection and try again.',
  HttpError: 'The server had a problem. Please try again.',
};

/** Field names as the API spells them → how the page names them. */
export const FIELD_LABELS = {
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

const FIELD_NAMES = new RegExp(`\\b(${Object.keys(FIELD_LABELS).join('|')})\\b`, 'g');

/** "endsAt must be after startsAt" → "End time must be after start time". */
export function humanize(message) {
  const text = message.replace(FIELD_NAMES, (name) => FIELD_LABELS[name]);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

let errorFields = {};

/** config.errorFields: {InvalidTitle: 'title', …}, from the API's own list (resolvers/errors.py). */
export function learnErrorFields(fields) {
  errorFields = { ...fields };
}

/** The input field an error is about (its errorType says), or null. */
export function fieldOf(error) {
  return Object.hasOwn(errorFields, error?.errorType ?? '') ? errorFields[error.errorType] : null;
}

/** Whether signing in would help: SignInRequired, or AppSync refusing a signed-out caller (Unauthorized). */
export function needsSignIn(error, user) {
  return error?.errorType === 'SignInRequired' || (error?.errorType === 'Unauthorized' && !user);
}

/**
 * user: auth.currentUser() when the request was made; it decides what Unauthorized means.
 * instead: {errorType: text} for what an error means to this one request (e.g. NotFound when deleting a comment).
 */
export function describe(error, user = null, instead = {}) {
  if (needsSignIn(error, user)) return TEXT.SignInRequired;
  if (error?.errorType in instead) return instead[error.errorType];
  if (error?.errorType === 'ValidationError' || fieldOf(error)) return humanize(error.message);
  // Anything else (Lambda:Unhandled, InternalFailure…) is not the visitor's to read; the network panel has it.
  return TEXT[error?.errorType] ?? 'Something went wrong. Please try again.';
}
