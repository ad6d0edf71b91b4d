/**
 * whenNotAssociated: createUser: a new local user for a DingTalk member, named after the member's
 * DingTalk userid. A name a different local user already holds gets a numeric suffix; the users
 * table's unique constraint still guards the race between two hosts picking the same name.
 */
import { randomBytes } from 'crypto';
import type { EntityManager } from 'typeorm';
import type { LocalUser } from '../../runtime';
import type { DDMember } from '../client/types';
import { newUserFromMember } from '../profile';
import type { BindingContext } from './binding-context';

const SUFFIXED_TRIES = 20;

/** Creates the user in the caller's transaction; `source` says who provisioned it (default: this instance's login). */
export async function provisionUser(ctx: BindingContext, member: DDMember, manager: EntityManager, source = `login:${ctx.instance}`): Promise<LocalUser> {
  const username = await freeUsername(ctx, usernameBase(member.userid), manager);
  const user = await ctx.app.users.create(newUserFromMember(member, username, source), manager);
  await ctx.app.audit.record({ type: 'user.created', instance: ctx.instance, corpId: ctx.corpId, memberId: member.userid, unionId: member.unionid ?? null, userId: user.id, details: { username, source } }, manager);
  return user;
}

/** DingTalk userids are usually plain alphanumerics; anything else becomes '_' so the name stays typeable. */
export function usernameBase(userid: string): string {
  const cleaned = userid.trim().replace(/[^A-Za-z0-9._-]/g, '_');
  return cleaned === '' ? 'dingtalk' : cleaned;
}

async function freeUsername(ctx: BindingContext, base: string, manager: EntityManager): Promise<string> {
  const candidates = [base, ...Array.from({ length: SUFFIXED_TRIES }, (_, i) => `${base}-${i + 2}`)];
  for (const candidate of candidates) {
    if (!(await ctx.app.users.findByUsername(candidate, manager))) return candidate;
  }
  return `${base}-${randomBytes(4).toString('hex')}`;
}
