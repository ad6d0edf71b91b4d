/**
 * PasswordType: local accounts with a username and password (salted scrypt hashes, kept by the
 * runtime's UserStore). It is the second factor of a DingTalk bindExisting login and a plain login
 * of its own. Users are created with `jit users create`.
 *
 * Guarded like every proof of an account (runtime/auth/proof-limits.ts): failures count per
 * username typed and per client address, and past `limits.failures.perAccount` (or `perAddress`)
 * the next attempts wait (RATE_LIMITED with `details.retryAfter`), right password or not.
 * Every failure answers the same CREDENTIALS_INVALID: an unknown user, a wrong password, and a right
 * password for a disabled account (a different answer there would confirm the password).
 */
import { Element, JitError, accountKey, addressKeys, withProofLimits, countLogin, openSession, type LoggedInResult, LOGIN_ERRORS } from '../../../../runtime';

export class PasswordType extends Element {
  readonly authType: string = 'PasswordType';

  /** LOGGED_IN with a session, or CREDENTIALS_INVALID (the same for an unknown user, a wrong password, a disabled account). */
  async login(username: string, password: string): Promise<LoggedInResult> {
    const started = Date.now();
    try {
      if (typeof username !== 'string' || typeof password !== 'string' || username.trim() === '' || password === '') {
        throw LOGIN_ERRORS.error('CREDENTIALS_INVALID', 'Enter a username and a password');
      }
      const keys = [accountKey(this.app, username), ...addressKeys(this.app)];
      const user = await withProofLimits(this.app, keys, async () => {
        const proven = await this.app.users.verifyPassword(username, password);
        if (proven?.disabled) this.app.logger.info('password login: right password for a disabled account; answered as a failed proof', { element: this.fullName, userId: proven.id });
        return proven && !proven.disabled ? proven : null;
      });
      if (!user) throw LOGIN_ERRORS.error('CREDENTIALS_INVALID', 'Wrong username or password (or the account is disabled)');
      const result = await openSession(this.app, user);
      countLogin(this.app, { instance: this.fullName, flow: 'password', outcome: 'ok' }, Date.now() - started);
      await this.app.audit.record({ type: 'login.succeeded', instance: this.fullName, userId: user.id, details: { flow: 'password' } });
      this.app.logger.info('password login', { element: this.fullName, userId: user.id, status: result.status, ms: Date.now() - started });
      return result;
    } catch (err) {
      const code = err instanceof JitError ? err.code : 'INTERNAL_ERROR';
      this.app.logger.info('password login failed', { element: this.fullName, code, ms: Date.now() - started });
      countLogin(this.app, { instance: this.fullName, flow: 'password', outcome: code }, Date.now() - started);
      await this.app.audit.tryRecord({ type: 'login.failed', outcome: code, instance: this.fullName, details: { flow: 'password' } });
      throw err;
    }
  }
}

export default PasswordType;
