/**
 * `jit users create|list|disable|enable|unlock|failures|grant-admin|revoke-admin`: local accounts (the PasswordType's users,
 * and the second factor of a DingTalk bindExisting login). Passwords are taken from --password or
 * --password-stdin and stored as salted scrypt hashes; no command ever prints a hash.
 *
 * `disable` ends every session of the account at once; `unlock` clears the failure back-off of an
 * account (and, with its options, of an address, a DingTalk member or a phone); `failures` shows
 * the counters that are counting or backing off, as operators need to see them. `grant-admin` and
 * `revoke-admin` keep the console's administrators besides app.json `admins` (audited admin.grant,
 * admin.revoke).
 */
import type { Command } from 'commander';
import { JitError } from '../../runtime/errors';
import type { AppHandle } from '../../runtime/app-types';
import type { LocalUser } from '../../runtime/auth/types';
import { cliActor } from '../../runtime/audit/actor';
import { accountCounterKeys, disableUser, enableUser } from '../../runtime/auth/account-admin';
import { grantAdmin, revokeAdmin } from '../../runtime/auth/admin-grants';
import { addressSubject, type CounterKey } from '../../runtime/auth/failure-counters';
import { normalizePhone } from '../../runtime/auth/phone';
import { ADDRESS_SCOPE, PHONE_SCOPE } from '../../runtime/auth/proof-limits';
import { publicUser } from '../../runtime/auth/login-result';
import { MEMBER_FAILURE_SCOPE, memberSubject } from '../../elements/auths/loginTypes/DDInnerType/binding/bind-limits';
import { printJson, printLine } from '../output';
import { withAppDatabase, type AppDirOptions } from './db';

interface CreateOptions extends AppDirOptions {
  username: string;
  password?: string;
  passwordStdin?: boolean;
  displayName?: string;
  phone?: string;
  email?: string;
  employeeNo?: string;
  json?: boolean;
}

export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('Local user accounts');

  users
    .command('create')
    .description('Create a local user')
    .requiredOption('--username <name>', 'login name (unique)')
    .option('--password <password>', 'password (prefer --password-stdin: arguments end up in shell history)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--display-name <name>', 'name shown to people (default: the username)')
    .option('--phone <phone>', 'mobile number (binding rules may match it)')
    .option('--email <email>', 'email address')
    .option('--employee-no <no>', 'employee number (binding rules may match the DingTalk job number)')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print the created user as JSON')
    .action(async (options: CreateOptions) => {
      if (options.password !== undefined && options.passwordStdin) throw new JitError('BAD_REQUEST', 'Give either --password or --password-stdin, not both');
      const password = options.passwordStdin ? await readStdin() : options.password;
      if (password !== undefined && password.length === 0) throw new JitError('BAD_REQUEST', 'The password is empty');
      const user = await withAppDatabase(options.app, async (app) => {
        if (await app.users.findByUsername(options.username)) {
          throw new JitError('BAD_REQUEST', `A user named "${options.username}" already exists`);
        }
        return app.users.create({
          username: options.username,
          displayName: options.displayName,
          phone: options.phone ?? null,
          email: options.email ?? null,
          employeeNo: options.employeeNo ?? null,
          password,
          source: 'cli',
        });
      });
      if (options.json) return printJson(publicUser(user));
      printLine(`Created user ${user.username} (${user.id})${password === undefined ? ' without a password' : ''}`);
    });

  users
    .command('list')
    .description('List local users')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print JSON')
    .action(async (options: AppDirOptions & { json?: boolean }) => {
      const list = await withAppDatabase(options.app, async (app) => (await app.users.list()).map(publicUser));
      if (options.json) return printJson(list);
      if (list.length === 0) return printLine('No users');
      for (const user of list) {
        const contact = [user.phone, user.email, user.employeeNo && `no. ${user.employeeNo}`].filter(Boolean).join(', ');
        printLine(`${user.id}  ${user.username}  ${user.displayName}${contact ? `  (${contact})` : ''}  source=${user.source}${user.disabled ? '  DISABLED' : ''}`);
      }
    });

  users
    .command('disable <user>')
    .description('Disable a local user (username or id) and end all their sessions')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print the result as JSON')
    .action(async (who: string, options: AppDirOptions & { json?: boolean }) => {
      const { user, revokedSessions } = await withAppDatabase(options.app, async (app) => {
        const user = await findUser(app, who);
        return { user, ...(await disableUser(app, user, { actor: cliActor() })) };
      });
      if (options.json) return printJson({ userId: user.id, username: user.username, disabled: true, revokedSessions });
      printLine(`Disabled ${user.username}; ended ${revokedSessions} session(s)`);
    });

  users
    .command('enable <user>')
    .description('Enable a disabled local user (username or id)')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print the result as JSON')
    .action(async (who: string, options: AppDirOptions & { json?: boolean }) => {
      const user = await withAppDatabase(options.app, async (app) => {
        const user = await findUser(app, who);
        await enableUser(app, user, { actor: cliActor() });
        return user;
      });
      if (options.json) return printJson({ userId: user.id, username: user.username, disabled: false });
      printLine(`Enabled ${user.username}`);
    });

  users
    .command('unlock [user]')
    .description('Clear the sign-in back-off of a local user (username or id), and/or of an address, a DingTalk member or a phone')
    .option('--address <address>', 'a client address (an IPv6 address clears its /64)')
    .option('--member <corpId:userid>', 'a DingTalk member, as corpId:userid')
    .option('--phone <phone>', 'a phone number')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print the result as JSON')
    .action(async (who: string | undefined, options: AppDirOptions & { address?: string; member?: string; phone?: string; json?: boolean }) => {
      const others = otherCounterKeys(options);
      if (who === undefined && others.length === 0) throw new JitError('BAD_REQUEST', 'Name a user, or give --address, --member or --phone');
      const cleared = await withAppDatabase(options.app, async (app) => {
        const user = who === undefined ? undefined : await findUser(app, who);
        const keys = [...(user ? accountCounterKeys(user) : []), ...others];
        const counters = await app.failures.clear(keys);
        await app.audit.record({ type: 'account.unlocked', userId: user?.id ?? null, details: { counters, keys: keys.map((k) => `${k.scope}:${k.subject}`), ...cliActor() } });
        return { keys, counters };
      });
      if (options.json) return printJson({ cleared: cleared.counters, keys: cleared.keys });
      const what = cleared.keys.map((key) => `${key.scope} ${key.subject}`).join(', ');
      printLine(cleared.counters === 0 ? `Nothing to clear for ${what}` : `Cleared ${cleared.counters} failure counter(s) of ${what}`);
    });

  users
    .command('grant-admin <user>')
    .description('Let a local user (username or id) use the console at /admin, besides app.json "admins"')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print the result as JSON')
    .action(async (who: string, options: AppDirOptions & { json?: boolean }) => {
      const { user, granted } = await withAppDatabase(options.app, async (app) => {
        const user = await findUser(app, who);
        if (user.disabled) throw new JitError('BAD_REQUEST', `${user.username} is disabled: enable them first (jit users enable ${user.username})`);
        return { user, granted: await grantAdmin(app, user, cliActor()) };
      });
      if (options.json) return printJson({ userId: user.id, username: user.username, admin: true, changed: granted });
      printLine(granted ? `${user.username} may now use the console (/admin)` : `${user.username} was granted the console already`);
    });

  users
    .command('revoke-admin <user>')
    .description('Take back a console grant (jit users grant-admin); app.json "admins" is edited in the file')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print the result as JSON')
    .action(async (who: string, options: AppDirOptions & { json?: boolean }) => {
      const { user, revoked, named } = await withAppDatabase(options.app, async (app) => {
        const user = await findUser(app, who);
        return { user, revoked: await revokeAdmin(app, user, cliActor()), named: app.settings.admins.includes(user.username) };
      });
      if (options.json) return printJson({ userId: user.id, username: user.username, changed: revoked, stillNamedInAppJson: named });
      printLine(revoked ? `Took back ${user.username}'s console grant` : `${user.username} had no console grant`);
      if (named) printLine(`Note: app.json "admins" still names ${user.username}; remove it there too`);
    });

  users
    .command('failures')
    .description('Show the sign-in failure counters that are counting or backing off (shared by every host)')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print JSON')
    .action(async (options: AppDirOptions & { json?: boolean }) => {
      const counters = await withAppDatabase(options.app, (app) => app.failures.list());
      if (options.json) return printJson(counters);
      if (counters.length === 0) return printLine('No failures counted in the last hour');
      for (const c of counters) {
        const state = c.retryAfterSeconds > 0 ? `BACKING OFF ${c.retryAfterSeconds}s (until ${c.blockedUntil!.toISOString()})` : 'counting';
        printLine(`${c.scope}  ${c.subject}  ${c.count}  last ${c.lastAt.toISOString()}  ${state}`);
      }
    });
}

/** A user by username, else by id; NOT_FOUND naming what was looked for. */
async function findUser(app: AppHandle, who: string): Promise<LocalUser> {
  const user = (await app.users.findByUsername(who)) ?? (/^[0-9a-f-]{36}$/i.test(who) ? await app.users.findById(who) : null);
  if (!user) throw new JitError('NOT_FOUND', `No local user "${who}" (give a username or an id; see jit users list)`);
  return user;
}

function otherCounterKeys(options: { address?: string; member?: string; phone?: string }): CounterKey[] {
  const keys: CounterKey[] = [];
  if (options.address) keys.push({ scope: ADDRESS_SCOPE, subject: addressSubject(options.address) });
  if (options.member) {
    const at = options.member.indexOf(':');
    if (at <= 0 || at === options.member.length - 1) throw new JitError('BAD_REQUEST', '--member takes corpId:userid, e.g. ding5f1e...:zhangsan');
    keys.push({ scope: MEMBER_FAILURE_SCOPE, subject: memberSubject(options.member.slice(0, at), options.member.slice(at + 1)) });
  }
  if (options.phone) keys.push({ scope: PHONE_SCOPE, subject: normalizePhone(options.phone) ?? options.phone.trim() });
  return keys;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  // One trailing newline is how `echo` and editors end a line, not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
