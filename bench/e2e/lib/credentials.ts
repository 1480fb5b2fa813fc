import * as testing from '@leadline/testing';

/**
 * The bench authenticates exactly as the tests do (memberHeaders() from @leadline/testing), so its service
 * processes must trust the test key pair and operator key. Read optionally: a build of a tree from before
 * access control (BENCH_DIST_DIR pointing at an older snapshot) has neither, and needs neither.
 */
const helpers = testing as Partial<typeof testing>;

export function benchCredentialEnv(): Record<string, string> {
  const keys = helpers.testSessionKeys;
  const operator = helpers.testOperatorKey;
  return {
    ...(keys ? { SESSION_PUBLIC_KEY: keys.publicKeyText, SESSION_PRIVATE_KEY: keys.privateKeyText } : {}),
    ...(operator ? { OPERATOR_KEY_SHA256: operator.sha256 } : {}),
  };
}

/** Only the platform operator may create accounts. */
export function accountCreationHeaders(): Record<string, string> {
  return helpers.operatorHeaders?.() ?? {};
}
