/**
 * `jit audit list|export`: the audit trail (runtime/audit) from the command line. `list` prints one
 * page, newest first, as a table (or JSON); `export --format jsonl` streams every matching row,
 * oldest first, one JSON object a line, reading the table a page at a time and waiting for a slow
 * reader of stdout, so a million rows need no memory. Both take the same filters.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AppHandle } from '../../runtime/app-types';
import { parseAuditTime } from '../../runtime/audit/time-spec';
import { readTypeFilter } from '../../runtime/audit/type-filter';
import { MAX_LIST_LIMIT, type AuditEvent, type AuditFilter } from '../../runtime/audit/types';
import { isJitError } from '../../runtime/errors';
import { redactSecrets } from '../../runtime/secrets';
import { printJson, printLine } from '../output';
import { withAppDatabase, type AppDirOptions } from './db';
import { usernamesOf } from '../../runtime/audit/usernames';

interface FilterOptions extends AppDirOptions {
  since?: Date;
  until?: Date;
  user?: string;
  type?: string;
  instance?: string;
}

interface ListOptions extends FilterOptions {
  limit?: number;
  cursor?: string;
  json?: boolean;
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('The audit trail: logins, bindings, users, sessions, operator actions');

  withFilters(audit.command('list').description('List audit events, newest first'))
    .option('--limit <n>', `at most this many events (default 100, at most ${MAX_LIST_LIMIT})`, readLimit)
    .option('--cursor <id>', 'continue after this event id (printed under a full page)')
    .option('--json', 'print JSON')
    .action(async (options: ListOptions) => {
      const { page, usernames } = await withAppDatabase(options.app, async (app) => {
        const page = await app.audit.list({ ...(await filterOf(app, options)), limit: options.limit, cursor: options.cursor });
        return { page, usernames: options.json ? new Map<string, string>() : await usernamesOf(app, page.events) };
      });
      if (options.json) return printJson(page.events);
      if (page.events.length === 0) return printLine('No audit events');
      printTable(page.events, usernames);
      if (page.nextCursor) printLine(`(more: add --cursor ${page.nextCursor})`);
    });

  withFilters(audit.command('export').description('Write every matching audit event, oldest first, one JSON object a line'))
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl']).default('jsonl'))
    .action(async (options: FilterOptions) => {
      await withAppDatabase(options.app, async (app) => {
        const events = app.audit.export(await filterOf(app, options));
        await writeLines(jsonLines(events));
      });
    });
}

function withFilters(command: Command): Command {
  return command
    .option('--since <when>', 'from this time: a duration back from now (30m, 1h, 7d) or a date (2026-12-01, midnight UTC)', (value) => readTime(value, '--since'))
    .option('--until <when>', 'up to this time (same forms as --since)', (value) => readTime(value, '--until'))
    .option('--user <user>', 'a username or local user id, or a DingTalk userid or unionId')
    .option('--type <type>', 'an event type (login.failed) or a prefix (admin.*, login.*)', readType)
    .option('--instance <fullName>', 'the element the event happened in (e.g. auths.loginTypes.acmeLogin)')
    .option('--app <dir>', 'app folder', '.');
}

/** The store's filter; a --user that names a local user by username becomes that user's id. */
async function filterOf(app: AppHandle, options: FilterOptions): Promise<AuditFilter> {
  let user = options.user;
  if (user !== undefined) user = (await app.users.findByUsername(user))?.id ?? user;
  return { since: options.since, until: options.until, user, type: options.type, instance: options.instance };
}

function readTime(value: string, option: string): Date {
  try {
    return parseAuditTime(value, option);
  } catch (err) {
    throw new InvalidArgumentError(isJitError(err) ? err.message : String(err));
  }
}

function readType(value: string): string {
  try {
    readTypeFilter(value);
    return value;
  } catch (err) {
    throw new InvalidArgumentError(isJitError(err) ? err.message : String(err));
  }
}

function readLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > MAX_LIST_LIMIT) throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  return limit;
}


function printTable(events: AuditEvent[], usernames: Map<string, string>): void {
  const header = ['TIME (UTC)', 'TYPE', 'OUTCOME', 'COUNT', 'USER', 'DINGTALK', 'INSTANCE', 'ADDRESS', 'DETAILS'];
  const rows = events.map((e) => [
    e.time.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ''),
    e.type,
    e.outcome,
    String(e.count),
    e.userId ? (usernames.get(e.userId) ?? e.userId) : '-',
    e.memberId ?? '-',
    e.instance ?? '-',
    e.clientAddress ?? '-',
    e.details ? detailsText(e.details) : '',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  // The last column runs free: padding it would only add trailing spaces.
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  printLine(line(header));
  for (const row of rows) printLine(line(row));
}

/** `flow=qr platform=web`: details as people scan them (--json keeps the structure). */
function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

async function* jsonLines(events: AsyncIterable<AuditEvent>): AsyncIterable<string> {
  for await (const event of events) yield redactSecrets(JSON.stringify(event));
}

/**
 * Writes lines to stdout, waiting whenever its buffer is full (a slow pipe must not make the export
 * hold the table in memory). A reader that goes away (`| head`) ends the export quietly.
 */
async function writeLines(lines: AsyncIterable<string>): Promise<void> {
  const out = process.stdout;
  let failure: NodeJS.ErrnoException | undefined;
  const onError = (err: NodeJS.ErrnoException) => {
    failure = err;
  };
  out.on('error', onError);
  try {
    for await (const line of lines) {
      if (failure || out.destroyed) break;
      if (!out.write(line + '\n')) await drained(out);
    }
  } finally {
    out.off('error', onError);
  }
  if (failure && failure.code !== 'EPIPE') throw failure;
}

function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}
