/**
 * `jit users create|list`: local accounts (the PasswordType's users, and the second factor of a
 * DingTalk bindExisting login). Passwords are taken from --password or --password-stdin and stored
 * as salted scrypt hashes; no command ever prints a hash.
 */
import type { Command } from 'commander';
import { JitError } from '../../runtime/errors';
import { publicUser } from '../../elements/auths/loginTypes/DDInnerType/login-result';
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
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  // One trailing newline is how `echo` and editors end a line, not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
