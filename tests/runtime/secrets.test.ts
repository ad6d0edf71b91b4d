import { forgetSecret, redactSecrets, registerSecret, registeredSecretCount, REDACTED } from '../../runtime/secrets';

describe('secret redaction', () => {
  const appSecret = 'S3cretValueThatIsLong_0123456789abcdefghijklmnopqrstuvwxyzABCDEF';
  const sharedPrefixShort = 'tokenAAA1';
  const sharedPrefixLong = 'tokenAAA1-and-more';

  beforeAll(() => {
    registerSecret(appSecret);
    registerSecret(sharedPrefixShort);
    registerSecret(sharedPrefixLong);
  });

  it('masks every occurrence of a registered secret, wherever it stands', () => {
    const line = `{"msg":"x","secret":"${appSecret}","again":"${appSecret}"}`;
    const redacted = redactSecrets(line);
    expect(redacted).not.toContain(appSecret);
    expect(redacted.split(REDACTED)).toHaveLength(3);
  });

  it('masks the longest secret when two share a prefix', () => {
    expect(redactSecrets(`a ${sharedPrefixLong} b`)).toBe(`a ${REDACTED} b`);
    expect(redactSecrets(`a ${sharedPrefixShort} b`)).toBe(`a ${REDACTED} b`);
  });

  it('leaves text without secrets untouched and ignores values too short to be secrets', () => {
    registerSecret('short');
    expect(redactSecrets('nothing secret here, short words only')).toBe('nothing secret here, short words only');
  });

  it('stops masking a forgotten secret and counts registrations once', () => {
    const token = 'user-token-to-forget-123';
    const before = registeredSecretCount();
    registerSecret(token);
    registerSecret(token);
    expect(registeredSecretCount()).toBe(before + 1);
    expect(redactSecrets(token)).toBe(REDACTED);
    forgetSecret(token);
    expect(registeredSecretCount()).toBe(before);
    expect(redactSecrets(token)).toBe(token);
  });
});
