/**
 * Local accounts, sessions and one-time tickets: generic auth building blocks any login Type uses.
 * Implementations live beside this file and persist through runtime/db.
 */
import type { EntityManager } from 'typeorm';

/** Local user attributes a binding rule may match on (`binding.match[].target`). */
export type UserMatchAttribute = 'phone' | 'email' | 'username' | 'employeeNo';

export interface LocalUser {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  email: string | null;
  employeeNo: string | null;
  disabled: boolean;
  /** Who provisioned the user: 'cli', 'login:<instance fullName>', 'sync:<instance fullName>'. */
  source: string;
  createTime: Date;
  updateTime: Date;
}

export interface NewLocalUser {
  username: string;
  displayName?: string;
  phone?: string | null;
  email?: string | null;
  employeeNo?: string | null;
  /** A plain password; stored as a salted scrypt hash. */
  password?: string;
  source?: string;
}

/** Operations take an optional EntityManager so callers can run them inside their own transaction. */
export interface UserStore {
  create(user: NewLocalUser, manager?: EntityManager): Promise<LocalUser>;
  findById(id: string, manager?: EntityManager): Promise<LocalUser | null>;
  findByUsername(username: string, manager?: EntityManager): Promise<LocalUser | null>;
  /** Every enabled user whose attribute equals the value (exact match; phone compared normalised). */
  findByAttribute(attribute: UserMatchAttribute, value: string, manager?: EntityManager): Promise<LocalUser[]>;
  list(options?: { limit?: number; offset?: number }): Promise<LocalUser[]>;
  update(id: string, patch: Partial<Pick<LocalUser, 'displayName' | 'phone' | 'email' | 'employeeNo' | 'disabled'>>, manager?: EntityManager): Promise<void>;
  /**
   * The user when the password matches the stored hash (constant-time); null for a wrong password, no
   * user or no password (after the same work, so timing does not reveal who exists). A disabled user
   * is returned too: the caller checks `disabled` (USER_DISABLED).
   */
  verifyPassword(username: string, password: string): Promise<LocalUser | null>;
  setPassword(userId: string, password: string): Promise<void>;
}

export interface Session {
  id: string;
  userId: string;
  /** The binding the session came through; null for a password login; '*' for one opened before bindings were recorded. */
  bindingId: string | null;
  createTime: Date;
  expiresAt: Date;
  /** Last use (to the minute), or null when unused since creation. */
  lastSeenAt: Date | null;
}

export interface SessionCreateOptions {
  ttlSeconds?: number;
  /** The binding the login went through: ending that binding (unbind, leaving a corp) ends the session. */
  bindingId?: string | null;
  manager?: EntityManager;
}

export interface SessionVerifyOptions {
  /** Refuse a session unused for longer than this many seconds (sessions.idleTimeout). */
  idleTimeoutSeconds?: number;
}

export interface SessionStore {
  /** Opens a session; the token is returned once and only its hash is stored. */
  create(userId: string, options?: SessionCreateOptions): Promise<{ token: string; session: Session }>;
  /** The live session for a token, or null (unknown, expired, idle too long, revoked). Records the use. */
  verify(token: string, options?: SessionVerifyOptions): Promise<Session | null>;
  revoke(token: string): Promise<boolean>;
  revokeAllForUser(userId: string, manager?: EntityManager): Promise<number>;
  /**
   * Revokes the sessions that came through a binding of `userId`: those recorded with `bindingId`,
   * and those opened before bindings were recorded (they count as through each binding).
   */
  revokeForBinding(userId: string, bindingId: string, manager?: EntityManager): Promise<number>;
  /** The user's live sessions, newest first. */
  listForUser(userId: string): Promise<Session[]>;
  /** How many sessions are live across the app. */
  countLive(): Promise<number>;
}

/**
 * Single-use, expiring tickets (login state, bind tickets, verification codes). The id is random;
 * `consume` succeeds at most once per ticket, however many callers race, on every database.
 */
export interface Ticket<P = Record<string, unknown>> {
  id: string;
  kind: string;
  /** What the ticket is bound to (e.g. an instance fullName); checked on consume. */
  audience: string;
  payload: P;
  expiresAt: Date;
}

export interface TicketStore {
  issue<P extends Record<string, unknown>>(kind: string, audience: string, payload: P, ttlSeconds: number, manager?: EntityManager): Promise<Ticket<P>>;
  /** Marks the ticket used and returns it; null when unknown, expired, used, or for another kind/audience. */
  consume<P = Record<string, unknown>>(kind: string, audience: string, id: string, manager?: EntityManager): Promise<Ticket<P> | null>;
  /**
   * Records that a stateless token (e.g. a signed QR login state, identified by its nonce) was used.
   * true the first time for that kind+id, false on every replay, across hosts sharing the database.
   */
  claimOnce(kind: string, id: string, expiresAt: Date, manager?: EntityManager): Promise<boolean>;
  /** Reads without consuming (null when unusable). */
  peek<P = Record<string, unknown>>(kind: string, audience: string, id: string): Promise<Ticket<P> | null>;
}

/**
 * Sends a bindExisting verification code to a phone (app.json `verification.sender`; see
 * verification-sender.ts). Called off the request path: its errors are logged, never answered.
 */
export interface VerificationSender {
  send(phone: string, code: string, context: { instance: string }): Promise<void>;
  /**
   * Throws (CONFIG_INVALID, naming the setting) when this sender cannot send at all. Checked on the
   * request path before a code is promised, since the send itself happens after the answer.
   */
  assertReady?(): void;
}
