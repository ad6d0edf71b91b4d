/**
 * A SecretRegistry is one app's (or one library client's) secrets: registries share nothing, and the
 * process's redaction masks every open app's registry only while the app is open.
 */
import { joinProcessRedaction, redactSecrets, redactWith, REDACTED, SecretRegistry } from '../../runtime/secrets';

const SECRET_A = 'registryAsecret-0123456789abcdef';
const SECRET_B = 'registryBsecret-0123456789abcdef';

test('two registries share nothing; clear forgets one registry\'s secrets only', () => {
  const a = new SecretRegistry();
  const b = new SecretRegistry();
  a.register(SECRET_A);
  a.register(SECRET_A);
  b.register(SECRET_B);
  expect([a.size, b.size]).toEqual([1, 1]);
  expect(a.redact(`${SECRET_A} ${SECRET_B}`)).toBe(`${REDACTED} ${SECRET_B}`);
  expect(b.redact(`${SECRET_A} ${SECRET_B}`)).toBe(`${SECRET_A} ${REDACTED}`);
  b.clear();
  expect(b.has(SECRET_B)).toBe(false);
  expect(a.has(SECRET_A)).toBe(true);
});

test('redacting with several registries takes the longest match at each place, in one scan', () => {
  const short = new SecretRegistry();
  const long = new SecretRegistry();
  short.register('sharedPrefix-1234');
  long.register('sharedPrefix-1234-and-more');
  expect(redactWith('x sharedPrefix-1234-and-more y', [short, long])).toBe(`x ${REDACTED} y`);
  expect(redactWith('x sharedPrefix-1234 y', [short, long])).toBe(`x ${REDACTED} y`);
});

test('the process redaction masks an app\'s registry from join until leave', () => {
  const app = new SecretRegistry();
  app.register(SECRET_A);
  expect(redactSecrets(SECRET_A)).toBe(SECRET_A);
  const leave = joinProcessRedaction(app);
  expect(redactSecrets(`leak ${SECRET_A}`)).toBe(`leak ${REDACTED}`);
  leave();
  expect(redactSecrets(SECRET_A)).toBe(SECRET_A);
});
