// The pool's password rules (config.json's passwordPolicy) in words, told before Cognito refuses a password.

/**
 * {minLength: 12, requireDigits: true, …} → "at least 12 characters with … a digit …".
 * @param {Partial<Config['passwordPolicy']> | undefined} policy
 */
export function describePasswordPolicy(policy) {
  if (!policy) return 'a stronger password';
  const kinds = [
    policy.requireUppercase && policy.requireLowercase && 'upper and lower case letters',
    policy.requireUppercase && !policy.requireLowercase && 'an upper case letter',
    policy.requireLowercase && !policy.requireUppercase && 'a lower case letter',
    policy.requireDigits && 'a digit',
    policy.requireSymbols && 'a symbol',
  ].filter(Boolean);
  const length = `at least ${policy.minLength} characters`;
  if (!kinds.length) return length;
  const listed = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}`;
  return `${length} with ${listed}`;
}
