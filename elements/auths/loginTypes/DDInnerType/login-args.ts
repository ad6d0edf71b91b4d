/**
 * The arguments of `getLoginCode` (and `loginByWorkbench`), checked before anything is spent on
 * them. They arrive from HTTP bodies, so nothing about their shape is assumed.
 */
import { JitError, LOGIN_ERRORS } from '../../../../runtime';

export type LoginType = 'qr' | 'workbench';
export type LoginPlatform = 'web' | 'mobile';

export interface LoginCodeArgs {
  code: string;
  loginType: LoginType;
  platform?: LoginPlatform;
  state?: string;
  /**
   * For library callers outside a browser request: the client key the state was issued to (see
   * runtime/auth/client-binding.ts). Over HTTP the browser key cookie is used and this is ignored
   * (the host passes functionList arguments only).
   */
  clientKey?: string;
}

/** DingTalk codes are short; anything longer is not one (and is not worth a round trip). */
const MAX_CODE_LENGTH = 256;

export function readLoginCodeArgs(args: unknown): { code: string; loginType: LoginType; platform: LoginPlatform; state: unknown; clientKey?: string } {
  if (!args || typeof args !== 'object' || Array.isArray(args)) {
    throw new JitError('BAD_REQUEST', 'getLoginCode takes one object: {code, loginType: "qr" | "workbench", platform, state}');
  }
  const { code, loginType, platform, state, clientKey } = args as Record<string, unknown>;
  if (loginType !== 'qr' && loginType !== 'workbench') {
    throw new JitError('BAD_REQUEST', 'loginType must be "qr" (QR code on a PC) or "workbench" (inside the DingTalk client)');
  }
  if (clientKey !== undefined && typeof clientKey !== 'string') throw new JitError('BAD_REQUEST', 'clientKey must be a string (the key a BIND_REQUIRED result or your own client handed back)');
  return { code: readAuthCode(code), loginType, platform: readPlatform(platform), state, ...(clientKey !== undefined ? { clientKey } : {}) };
}

/** A missing or blank code is an unusable authorization code, not a malformed request. */
export function readAuthCode(code: unknown): string {
  if (typeof code !== 'string' || code.trim() === '' || code.length > MAX_CODE_LENGTH) {
    throw LOGIN_ERRORS.error('AUTH_CODE_INVALID', 'The DingTalk authorization code is missing; log in again');
  }
  return code.trim();
}

export function readPlatform(platform: unknown): LoginPlatform {
  if (platform === undefined || platform === null || platform === '') return 'web';
  if (platform === 'web' || platform === 'mobile') return platform;
  throw new JitError('BAD_REQUEST', 'platform must be "web" or "mobile"');
}
