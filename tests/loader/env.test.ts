/**
 * {{NAME}} references: resolved from the environment over the app's .env, whole or inside a string;
 * resolved values are secrets (registered for redaction, listed in secretPointers).
 */
import { loadDefinitions, readAppEnv } from '../../runtime/loader';
import { redactSecrets } from '../../runtime/secrets';
import { fixture, FIXTURE_SECRET } from './fixtures';

describe('{{ENV}} references', () => {
  it('resolve from .env, with the environment winning over .env', () => {
    const { registry, diagnostics } = loadDefinitions(fixture('env-app'), { env: { MAIL_PASSWORD: 'from-process-password' } });
    expect(diagnostics).toEqual([]);
    const mail = registry.get('settings.mail')!;
    expect(mail.config).toEqual({ host: 'dotenv.example.com', url: 'smtp://dotenv.example.com:25', password: 'from-process-password', port: 25 });
    expect(mail.secretPointers).toEqual(['/host', '/password', '/url']);
    expect(registry.get('auths.loginTypes.envLogin')!.config).toMatchObject({ authConfig: { appSecret: FIXTURE_SECRET } });
  });

  it('register resolved values as secrets, so logs and messages mask them', () => {
    loadDefinitions(fixture('env-app'), { env: { MAIL_PASSWORD: 'from-process-password' } });
    expect(redactSecrets('password=from-process-password')).toBe('password=[redacted]');
    expect(redactSecrets(`secret ${FIXTURE_SECRET}`)).toBe('secret [redacted]');
  });

  it('default to process.env', () => {
    const previous = process.env.MAIL_PASSWORD;
    process.env.MAIL_PASSWORD = 'from-process-env-password';
    try {
      expect(loadDefinitions(fixture('env-app')).registry.get('settings.mail')!.config!.password).toBe('from-process-env-password');
    } finally {
      if (previous === undefined) delete process.env.MAIL_PASSWORD;
      else process.env.MAIL_PASSWORD = previous;
    }
  });

  it('a missing variable is ENV_MISSING naming the file, pointer and variable, and the element is invalid', () => {
    const { registry } = loadDefinitions(fixture('env-app'), { env: {} });
    expect(registry.get('settings.mail')!.valid).toBe(true); // .env has both of its variables

    const broken = loadDefinitions(fixture('broken/env-missing'), { env: {} });
    const login = broken.registry.get('auths.loginTypes.login')!;
    expect(login.valid).toBe(false);
    expect(login.diagnostics).toEqual([
      expect.objectContaining({ code: 'ENV_MISSING', file: fixture('broken/env-missing/auths/loginTypes/login/login.json'), pointer: '/authConfig/appSecret' }),
    ]);
  });

  it('readAppEnv merges the given environment over .env', () => {
    const env = readAppEnv(fixture('env-app'), { MAIL_HOST: 'override.example.com', UNSET: undefined });
    expect(env).toMatchObject({ MAIL_HOST: 'override.example.com', MAIL_PASSWORD: 'from-dotenv-password' });
    expect('UNSET' in env).toBe(false);
  });
});
