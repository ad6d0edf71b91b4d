/**
 * The codes every login Type shares (DECISIONS "Login vocabulary and error codes"): generic, free of
 * any one identity provider, raised by PasswordType, the DingTalk login and a user's own login Type
 * alike. They belong to the runtime's auth, so every app's registry has them (like the core codes).
 * Their words for people are in runtime/http/pages/error-words.ts.
 */
import { defineCodeVocabulary, defineErrorCodes, type CodeOf } from '../errors';

export const LOGIN_ERRORS = defineErrorCodes('runtime/auth', {
  AUTH_CODE_INVALID: { status: 400, summary: 'The authorization code is expired, used or unknown' },
  STATE_INVALID: { status: 400, summary: 'The login state is missing, expired, used or for another login' },
  BINDING_REJECTED: { status: 403, summary: 'No local account is associated and this login does not create one' },
  AMBIGUOUS_MATCH: { status: 409, summary: 'More than one local user matches; refusing to guess' },
  BIND_TICKET_INVALID: { status: 400, summary: 'The bind ticket is expired, used or unknown' },
  CREDENTIALS_INVALID: { status: 401, summary: 'The credentials given do not prove the account' },
  USER_DISABLED: { status: 403, summary: 'The local user is disabled' },
});

export type LoginErrorCode = CodeOf<typeof LOGIN_ERRORS>;

/** The typed `details.reason` of a login code that the runtime's auth itself decides. */
export const LOGIN_REASONS = defineCodeVocabulary('runtime/auth', 'reason', {
  OTHER_CLIENT: 'A login state or ticket was presented by another browser than the one it was issued to (client binding)',
});

export type LoginReason = CodeOf<typeof LOGIN_REASONS>;
