/**
 * JitError: the one error class the runtime and its elements throw across their public surface.
 * `code` is stable and documented; `message` is for people; `details` is safe, secret-free context.
 */
export const ERROR_CODES = {
  // configuration and elements
  CONFIG_INVALID: { status: 500, summary: 'The element or app configuration is invalid' },
  ELEMENT_NOT_FOUND: { status: 404, summary: 'No element with that fullName' },
  ELEMENT_INVALID: { status: 500, summary: 'The element failed to load; see its diagnostics' },
  // login flows
  CORP_NOT_CONFIGURED: { status: 404, summary: 'No active login instance for that corpId' },
  CORP_MISMATCH: { status: 403, summary: 'The DingTalk organisation selected is not this instance\'s' },
  NOT_CORP_MEMBER: { status: 403, summary: 'The DingTalk account is not a member of the organisation' },
  AUTH_CODE_INVALID: { status: 400, summary: 'The authorization code is expired, used or unknown' },
  STATE_INVALID: { status: 400, summary: 'The login state is missing, expired, used or for another login' },
  BINDING_REJECTED: { status: 403, summary: 'No local account is associated and this login does not create one' },
  AMBIGUOUS_MATCH: { status: 409, summary: 'More than one local user matches; refusing to guess' },
  BIND_TICKET_INVALID: { status: 400, summary: 'The bind ticket is expired, used or unknown' },
  CREDENTIALS_INVALID: { status: 401, summary: 'The credentials given do not prove the account' },
  USER_DISABLED: { status: 403, summary: 'The local user is disabled' },
  // DingTalk
  DINGTALK_UNAVAILABLE: { status: 503, summary: 'DingTalk did not answer in time or failed' },
  DINGTALK_RATE_LIMITED: { status: 503, summary: 'DingTalk rate limits were hit and retries ran out' },
  DINGTALK_PERMISSION_DENIED: { status: 502, summary: 'The DingTalk app lacks a permission' },
  DINGTALK_API_ERROR: { status: 502, summary: 'DingTalk returned an error' },
  // host
  BAD_REQUEST: { status: 400, summary: 'The request is malformed' },
  NOT_FOUND: { status: 404, summary: 'No such route or function' },
  LOGIN_REQUIRED: { status: 401, summary: 'Log in first' },
  ADMIN_REQUIRED: { status: 403, summary: 'Only the app\'s administrators may do this' },
  FILE_CHANGED: { status: 409, summary: 'The file changed on disk since it was read; nothing was overwritten' },
  EDIT_REFUSED: { status: 409, summary: 'This host cannot write element files (not watching, or the folder is read-only)' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'The request body is too large' },
  HEADERS_TOO_LARGE: { status: 431, summary: 'The request address or headers (cookies) are too large' },
  REQUEST_TIMEOUT: { status: 408, summary: 'The request was not received in time' },
  RATE_LIMITED: { status: 429, summary: 'Too many attempts; wait and try again' },
  CSRF_REJECTED: { status: 403, summary: 'A state-changing request from another site (or without its CSRF token) was refused' },
  SYNC_IN_PROGRESS: { status: 409, summary: 'The organisation is being synced already; try again when that run is done' },
  INTERNAL_ERROR: { status: 500, summary: 'Something went wrong on the server' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class JitError extends Error {
  override readonly name = 'JitError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code].summary, options);
    this.code = code;
    this.details = Object.freeze({ ...details });
  }

  /** The HTTP status a host should answer with for this error. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    const hasDetails = Object.keys(this.details).length > 0;
    return hasDetails ? { code: this.code, message: this.message, details: { ...this.details } } : { code: this.code, message: this.message };
  }
}

export function isJitError(value: unknown, code?: ErrorCode): value is JitError {
  return value instanceof JitError && (code === undefined || value.code === code);
}
