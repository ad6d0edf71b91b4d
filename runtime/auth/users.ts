/**
 * Local users. Phones are stored normalised (see phone.ts); passwords only as scrypt hashes, which
 * are hashed before the database is touched so the hashing never holds SQLite's queue. A stored
 * hash weaker than the store's cost is replaced on the user's next successful sign-in.
 */
import { randomUUID } from 'node:crypto';
import { IsNull, Not, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { JitError } from '../errors';
import { UserEntity, type UserRow } from '../db/core-models';
import type { Database } from '../db/types';
import { normalizePhone } from './phone';
import { hashPassword, needsRehash, passwordCostFromEnv, spendVerificationTime, verifyPassword, type PasswordCost } from './passwords';
import type { LocalUser, NewLocalUser, UserMatchAttribute, UserStore } from './types';

/** Column widths (see the core migration): checked here so both databases refuse the same input. */
const MAX_LENGTH = { username: 128, displayName: 255, phone: 32, email: 255, employeeNo: 64, source: 255 } as const;

type UserPatch = Partial<Pick<LocalUser, 'displayName' | 'phone' | 'email' | 'employeeNo' | 'disabled'>>;

export class DatabaseUserStore implements UserStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
    /** The scrypt cost of new hashes (and the floor below which a stored hash is upgraded). */
    readonly passwordCost: PasswordCost = passwordCostFromEnv(),
  ) {}

  /** Creates a user; a taken username is a unique violation (`db.isUniqueViolation(err)`). */
  async create(user: NewLocalUser, manager?: EntityManager): Promise<LocalUser> {
    const username = requireText(user.username, 'username');
    const passwordHash = user.password === undefined ? null : await hashPassword(user.password, this.passwordCost);
    const time = this.now();
    const row: UserRow = {
      id: randomUUID(),
      username,
      displayName: optionalText(user.displayName, 'displayName') ?? username,
      phone: checkedPhone(user.phone),
      email: optionalText(user.email, 'email'),
      employeeNo: optionalText(user.employeeNo, 'employeeNo'),
      passwordHash,
      disabled: false,
      source: optionalText(user.source, 'source') ?? 'api',
      createTime: time,
      updateTime: time,
    };
    await this.db.run((m) => m.insert(UserEntity, row), manager);
    return toLocalUser(row);
  }

  findById(id: string, manager?: EntityManager): Promise<LocalUser | null> {
    return this.findOne({ id }, manager);
  }

  findByUsername(username: string, manager?: EntityManager): Promise<LocalUser | null> {
    const wanted = optionalText(username);
    return wanted ? this.findOne({ username: wanted }, manager) : Promise.resolve(null);
  }

  async findByAttribute(attribute: UserMatchAttribute, value: string, manager?: EntityManager): Promise<LocalUser[]> {
    const wanted = attribute === 'phone' ? normalizePhone(value) : optionalText(value);
    if (!wanted) return [];
    const rows = await this.db.run((m) => m.find(UserEntity, { where: { [attribute]: wanted, disabled: false }, order: { username: 'ASC' } }), manager);
    return rows.map(toLocalUser);
  }

  /** Users ordered by username; every user unless `limit` is given. */
  async list(options: { limit?: number; offset?: number } = {}): Promise<LocalUser[]> {
    const rows = await this.db.run((m) => m.find(UserEntity, { order: { username: 'ASC' }, take: options.limit, skip: options.offset }));
    return rows.map(toLocalUser);
  }

  async update(id: string, patch: UserPatch, manager?: EntityManager): Promise<void> {
    const set: Partial<UserRow> = { updateTime: this.now() };
    if (patch.displayName !== undefined) set.displayName = requireText(patch.displayName, 'displayName');
    if (patch.phone !== undefined) set.phone = checkedPhone(patch.phone);
    if (patch.email !== undefined) set.email = optionalText(patch.email, 'email');
    if (patch.employeeNo !== undefined) set.employeeNo = optionalText(patch.employeeNo, 'employeeNo');
    if (patch.disabled !== undefined) set.disabled = patch.disabled;
    await this.db.run((m) => m.update(UserEntity, { id }, set), manager);
  }

  /**
   * The user when the password matches (constant-time), else null: also for an unknown user or one
   * without a password, after the same amount of work, so timing does not reveal who exists.
   * A disabled user is returned too: the caller decides. A match against a hash weaker than the
   * store's cost replaces it (the password is at hand only now), after the answer: the extra hash
   * must not make a right password answer slower than a wrong one.
   */
  async verifyPassword(username: string, password: string): Promise<LocalUser | null> {
    const wanted = optionalText(username);
    const row = wanted ? await this.db.run((m) => m.findOne(UserEntity, { where: { username: wanted, passwordHash: Not(IsNull()) } })) : null;
    if (!row?.passwordHash) {
      await spendVerificationTime(password, this.passwordCost);
      return null;
    }
    if (!(await verifyPassword(password, row.passwordHash))) return null;
    if (needsRehash(row.passwordHash, this.passwordCost)) {
      this.upgradeHash(row, password).catch(() => undefined); // tried again on the next sign-in
    }
    return toLocalUser(row);
  }

  async setPassword(userId: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password, this.passwordCost);
    const result = await this.db.run((m) => m.update(UserEntity, { id: userId }, { passwordHash, updateTime: this.now() }));
    if (!result.affected) throw new JitError('NOT_FOUND', `No local user has id ${userId}`, { userId });
  }

  /** Replaces the hash only if it is still the one verified (a concurrent password change wins). */
  private async upgradeHash(row: UserRow, password: string): Promise<void> {
    const passwordHash = await hashPassword(password, this.passwordCost);
    await this.db.run((m) => m.update(UserEntity, { id: row.id, passwordHash: row.passwordHash! }, { passwordHash }));
  }

  private async findOne(where: FindOptionsWhere<UserRow>, manager?: EntityManager): Promise<LocalUser | null> {
    const row = await this.db.run((m) => m.findOne(UserEntity, { where }), manager);
    return row ? toLocalUser(row) : null;
  }
}

/** The public shape: everything but the password hash. */
function toLocalUser(row: UserRow): LocalUser {
  const { passwordHash: _hidden, ...user } = row;
  return { ...user, disabled: Boolean(user.disabled) };
}

/** Trimmed text or null; longer than its column allows is a BAD_REQUEST naming the field. */
function optionalText(value: string | null | undefined, field?: keyof typeof MAX_LENGTH): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  if (field && trimmed.length > MAX_LENGTH[field]) {
    throw new JitError('BAD_REQUEST', `A user's ${field} must be at most ${MAX_LENGTH[field]} characters`, { field });
  }
  return trimmed === '' ? null : trimmed;
}

function requireText(value: string | undefined, field: keyof typeof MAX_LENGTH): string {
  const text = optionalText(value, field);
  if (!text) throw new JitError('BAD_REQUEST', `A user's ${field} must be a non-empty string`, { field });
  return text;
}

function checkedPhone(value: string | null | undefined): string | null {
  return optionalText(normalizePhone(value), 'phone');
}
