import { createLogger } from '../../runtime/logger';
import { createLogVerificationSender, hashPassword, normalizePhone, passwordCostFromEnv, verifyPassword } from '../../runtime/auth';

describe('passwords', () => {
  test('hashes are self-describing, salted (two hashes of one password differ) and verify', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    const cost = passwordCostFromEnv();
    expect(first).toMatch(new RegExp(`^scrypt\\$${cost.N}\\$${cost.r}\\$${cost.p}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse');

    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery staple', second)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  test('a malformed or absurd stored hash verifies as false', async () => {
    const good = await hashPassword('pw-123456');
    const [, , r, p, salt, key] = good.split('$');
    expect(await verifyPassword('pw-123456', 'plain-text')).toBe(false);
    expect(await verifyPassword('pw-123456', `scrypt$${1 << 30}$${r}$${p}$${salt}$${key}`)).toBe(false);
    expect(await verifyPassword('pw-123456', `bcrypt$16384$${r}$${p}$${salt}$${key}`)).toBe(false);
  });

  test('an empty password cannot be set', async () => {
    await expect(hashPassword('')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('normalizePhone', () => {
  test.each([
    ['13800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+86-138-0013-8000', '13800138000'],
    ['86 13800138000', '13800138000'],
    ['0086 138 0013 8000', '13800138000'],
    ['(010) 8888-6666', '01088886666'],
    ['8613800', '8613800'],
    ['+1 415-555-0100', '+14155550100'],
    ['  ', null],
  ])('%s -> %s', (written, normalised) => {
    expect(normalizePhone(written)).toBe(normalised);
  });
});

describe('createLogVerificationSender (the development sender)', () => {
  test('announces itself once, then writes each code to the log at warning level, labelled as development only', async () => {
    const lines: string[] = [];
    const sender = createLogVerificationSender(createLogger({ level: 'warn', sink: (line) => lines.push(line) }));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).msg).toMatch(/DEVELOPMENT verification sender.*--sim/);
    await sender.send('13800138000', '482913', { instance: 'auths.loginTypes.testDDLogin' });
    expect(lines).toHaveLength(2);
    const record = JSON.parse(lines[1]);
    expect(record).toMatchObject({ level: 'warn', phone: '13800138000', code: '482913', instance: 'auths.loginTypes.testDDLogin' });
    expect(record.msg).toMatch(/DEVELOPMENT/);
  });
});
