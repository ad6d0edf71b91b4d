/**
 * `jit org`: the organisations of the app's corps.
 *
 *   jit org sync <corp> [--dry-run] [--json] [--page-size n]   the organisation into the database
 *   jit org status <corp> [--json]                             last run, counts, ended memberships
 *   jit org restore <corp> <userid> [--json]                   undoes an offline (or a recorded leave)
 *   jit org watch <corp>                                       applies the corp's live events until stopped
 *
 * `<corp>` is a corp's fullName; a login's fullName means the corp that names it (said on stderr), or
 * fails with the one `jit create` line that makes it. A login that still carries `sync` and that no
 * corp names is synced through its implied corp, with that line as a notice.
 *
 * Sync progress is drawn on stderr when it is a terminal; the summary goes to stdout (JSON with
 * --json). Exit 1 when anything failed (the summary says what and why). Ctrl-C stops a sync between
 * two members (each member is written whole or not at all); running the command again completes it.
 * A second Ctrl-C ends the process at once.
 *
 * `jit org watch` does on its own what `jit serve` does for each corp with `sync.events`: one DingTalk
 * Stream connection, each event applied once, a catch-up sync at start and after a long gap.
 * SIGINT/SIGTERM finish and ack the event in hand, then exit 0.
 */
import * as path from 'path';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppHandle } from '../../runtime/app-types';
import { loadApp } from '../../runtime/load-app';
import { createLogger } from '../../runtime/logger';
import type { CorpEventsStatus } from '../../elements/corps/events/events-status';
import type { CorpStatus, CorpType } from '../../elements/corps/CorpType';
import { requireCorp } from '../../elements/corps/resolve-corp';
import { formatSummary, hasFailures, type SyncSummary } from '../../elements/corps/sync/summary';
import { createProgressBar } from '../sync-progress';
import { EXIT_USER_ERROR, printError, printJson, printLine } from '../output';
import { withAppDatabase, type AppDirOptions } from './db';

interface OrgSyncOptions extends AppDirOptions {
  dryRun?: boolean;
  json?: boolean;
  pageSize: number;
}

/** DingTalk's user/list takes 1 to 100 members per page; anything else is bad usage (exit 2). */
function parsePageSize(value: string): number {
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 100) throw new InvalidArgumentError('must be an integer from 1 to 100');
  return size;
}

export function registerOrgCommand(program: Command): void {
  const org = program.command('org').description("The organisations of the app's corps (departments and members)");

  org
    .command('sync <corp>')
    .description("Sync a corp's departments and members into the database (a login's fullName means the corp naming it)")
    .option('--dry-run', 'show what would be added, updated and ended; write nothing')
    .option('--json', 'print the summary as JSON')
    .option('--page-size <n>', 'members per DingTalk page, 1-100', parsePageSize, 100)
    .option('--app <dir>', 'app folder', '.')
    .action(async (name: string, options: OrgSyncOptions) => {
      const summary = await withAppDatabase(options.app, (app) => runSync(app, corpOf(app, name, options.app), options.dryRun === true, options.pageSize));
      if (!summary) return;
      if (options.json) printJson(summary);
      else for (const line of formatSummary(summary)) printLine(line);
      if (hasFailures(summary)) process.exitCode = EXIT_USER_ERROR;
    });

  org
    .command('status <corp>')
    .description("A corp's last sync, counts, members who left or are offline, and accounts kept for an operator")
    .option('--json', 'print the status as JSON')
    .option('--app <dir>', 'app folder', '.')
    .action(async (name: string, options: AppDirOptions & { json?: boolean }) => {
      const status = await withAppDatabase(options.app, (app) => corpOf(app, name, options.app).getStatus());
      if (options.json) printJson(status);
      else for (const line of formatStatus(status)) printLine(line);
    });

  org
    .command('restore <corp> <userid>')
    .description('Make an offline member (or one recorded as left) a member again: the same binding and user')
    .option('--json', 'print the result as JSON')
    .option('--app <dir>', 'app folder', '.')
    .action(async (name: string, userid: string, options: AppDirOptions & { json?: boolean }) => {
      const restored = await withAppDatabase(options.app, (app) => corpOf(app, name, options.app).restoreMember(userid));
      if (options.json) return printJson(restored);
      const account = restored.userId ? `; user ${restored.username ?? restored.userId}${restored.userEnabled ? ' enabled again' : ''}` : '';
      printLine(`Restored ${restored.userid} (${restored.name}) in ${name}: was ${restored.was}${account}`);
      if (restored.was === 'left') printLine('The next sync records them as left again unless the organisation lists them.');
    });

  org
    .command('watch <corp>')
    .description("Apply a corp's live events (DingTalk Stream) until stopped: what jit serve does for corps with sync.events")
    .option('--app <dir>', 'app folder', '.')
    .action(async (name: string, options: AppDirOptions) => {
      await watch(name, options.app);
    });
}

/** Runs a corp's event watcher until SIGINT/SIGTERM; then the event in hand is finished and acked, and the app closed. */
async function watch(name: string, appDir: string): Promise<void> {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const app = await loadApp(path.resolve(appDir), { watch: false, logger: createLogger() });
  try {
    const corp = corpOf(app, name, appDir);
    const watcher = corp.watchEvents();
    await watcher.start();
    printLine(`Watching the live events of ${corp.fullName}${corp.orgId ? ` (corp ${corp.orgId})` : ''}; Ctrl+C stops. \`jit org status ${name}\` shows the connection.`);
    const signal = await signalled;
    printError(`Stopping (${signal}): finishing the event in hand...`);
    await watcher.stop();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await app.close();
  }
}

/** The corp a name means, saying so on stderr when it was not the corp's own name. */
function corpOf(app: AppHandle, name: string, appDir: string): CorpType {
  const resolved = requireCorp(app, name, appDir === '.' ? undefined : appDir);
  if (resolved.note) printError(resolved.note);
  return resolved.corp;
}

/** Runs the sync with a progress bar and Ctrl-C handling; undefined when interrupted. */
async function runSync(_app: AppHandle, corp: CorpType, dryRun: boolean, pageSize: number): Promise<SyncSummary | undefined> {
  const bar = createProgressBar(process.stderr);
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  try {
    return await corp.syncCorp({ dryRun, pageSize, onProgress: (p) => bar.update(p), signal: interrupt.signal, holder: 'jit org sync' });
  } catch (err) {
    if (!interrupt.signal.aborted) throw err;
    bar.done();
    printError('org sync interrupted: the members written so far are complete and consistent; run the same command again to finish');
    process.exitCode = EXIT_USER_ERROR;
    return undefined;
  } finally {
    bar.done();
    process.off('SIGINT', onSigint);
  }
}

function formatStatus(status: CorpStatus): string[] {
  const m = status.members;
  const run = status.lastRun;
  const when = (d: Date | string | null) => (d ? new Date(d).toISOString() : '-');
  const lines = [
    `Corp ${status.corp}${status.orgId ? ` (corp ${status.orgId})` : ''}: ${status.isActive ? 'active' : 'switched off'}; ${status.intervalMinutes ? `synced every ${status.intervalMinutes} min` : 'synced on demand'}`,
    run
      ? `  last sync:   ${when(run.startedAt)}, ${run.outcome === 'running' ? 'running, or stopped before it finished' : run.outcome}${run.finishedAt ? ` (${((new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) / 1000).toFixed(1)} s)` : ''}${run.message ? `: ${run.message}` : ''}`
      : '  last sync:   never',
    `  members:     ${m.active} active, ${m.left} left, ${m.offline} offline`,
    `  departments: ${status.departments.total - status.departments.removed} (${status.departments.removed} removed)`,
  ];
  const section = <T>(title: string, items: T[], line: (item: T) => string) => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const item of items) lines.push(`  ${line(item)}`);
  };
  lines.push(...formatEvents(status.events, when));
  section('Offline (jit org restore brings them back)', status.offline, (o) => `${o.userid} (${o.name}) since ${when(o.leftAt)}`);
  section('Left', status.left, (l) => `${l.userid} (${l.name}) on ${when(l.leftAt)}`);
  section('Left, account kept (not created by this app; an operator decides)', status.unmanagedLeavers, (u) => `${u.userid} (${u.name}): user ${u.username}${u.disabled ? ' (disabled)' : ''}`);
  return lines;
}

/** The live-event lines of `jit org status`. */
function formatEvents(events: CorpEventsStatus, when: (d: Date | string | null) => string): string[] {
  if (!events.enabled && events.watchers.length === 0 && events.applied + events.notApplied === 0) return ['  live events: off (sync.events)'];
  const connection = events.connected
    ? `connected since ${when(events.since)}`
    : events.watchers.length === 0
      ? 'no watcher has run (jit serve, or jit org watch)'
      : `NOT connected${events.since ? ` since ${when(events.since)}` : ''}`;
  const lines = [
    `  live events: ${events.enabled ? 'on' : 'off (sync.events), but watched'}; Stream ${connection}`,
    `    ${'last event:'.padEnd(13)}${when(events.lastEventAt)}`,
    `    ${`last ${events.windowDays} days:`.padEnd(13)}${events.applied} applied, ${events.duplicatesSkipped} duplicates skipped, ${events.notApplied} not applied`,
    `    ${'catch-up:'.padEnd(13)}${events.lastCatchUp ? `${when(events.lastCatchUp.at)} (${events.lastCatchUp.reason ?? '-'}): ${events.lastCatchUp.outcome ?? '-'} on ${events.lastCatchUp.host}` : 'none yet'}`,
  ];
  for (const w of events.watchers) {
    const state = w.state === 'running' ? (w.connected ? `connected since ${when(w.connectedSince)}` : `down since ${when(w.downSince)}`) : w.state === 'stopped' ? `stopped ${when(w.updatedAt)}` : `gone (no heartbeat since ${when(w.updatedAt)})`;
    lines.push(`    watcher ${w.host}: ${state}; ${w.applied} applied, ${w.duplicates} duplicates, ${w.notApplied} not applied, ${w.retried} retried, ${w.reconnects} reconnects`);
  }
  if (events.failures.length > 0) {
    lines.push('Live events not applied (acked; the newest first):');
    for (const f of events.failures) lines.push(`  ${when(f.at)} ${f.eventType} ${f.eventId}: ${f.outcome}${f.message ? ` (${f.message})` : ''}`);
  }
  return lines;
}
