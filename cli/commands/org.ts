/**
 * `jit org sync <instanceFullName> [--dry-run] [--json] [--app <dir>]`: the DingTalk organisation of
 * one DDInnerType instance into the app's database (departments, members, bindings, leavers).
 * Progress is drawn on stderr when it is a terminal; the summary goes to stdout (JSON with --json).
 * Exit 1 when anything failed (the summary says what and why).
 *
 * Ctrl-C stops the run between two members (each member is written whole or not at all); running
 * the command again completes it. A second Ctrl-C ends the process at once.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { AppHandle } from '../../runtime/app-types';
import { JitError } from '../../runtime/errors';
import { DD_INNER_TYPE, type DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import { createProgressBar, formatSummary, hasFailures, syncOrganization, type SyncSummary } from '../../elements/corps/sync';
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
  const org = program.command('org').description('The DingTalk organisation (departments and members)');

  org
    .command('sync <instanceFullName>')
    .description('Sync departments and members of a DingTalk login instance into the database')
    .option('--dry-run', 'show what would be added, updated and disabled; write nothing')
    .option('--json', 'print the summary as JSON')
    .option('--page-size <n>', 'members per DingTalk page, 1-100', parsePageSize, 100)
    .option('--app <dir>', 'app folder', '.')
    .action(async (instance: string, options: OrgSyncOptions) => {
      const summary = await withAppDatabase(options.app, (app) => runSync(app, instance, options.dryRun === true, options.pageSize));
      if (!summary) return;
      if (options.json) printJson(summary);
      else for (const line of formatSummary(summary)) printLine(line);
      if (hasFailures(summary)) process.exitCode = EXIT_USER_ERROR;
    });
}

/** Runs the sync with a progress bar and Ctrl-C handling; undefined when interrupted. */
async function runSync(app: AppHandle, instance: string, dryRun: boolean, pageSize: number): Promise<SyncSummary | undefined> {
  const auth = ddInnerInstance(app, instance);
  const bar = createProgressBar(process.stderr);
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  try {
    return await syncOrganization(auth, { dryRun, pageSize, onProgress: (p) => bar.update(p), signal: interrupt.signal });
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

/** The DDInnerType instance named, or a user error saying what the name is instead. */
function ddInnerInstance(app: AppHandle, fullName: string): DDInnerType {
  const definition = app.getDefinition(fullName);
  if (!definition) {
    throw new JitError('ELEMENT_NOT_FOUND', `No element ${fullName} in ${app.dir}; jit list --type ${DD_INNER_TYPE} shows the DingTalk login instances`);
  }
  if (definition.level !== 'instance' || !definition.typeChain.includes(DD_INNER_TYPE)) {
    throw new JitError('BAD_REQUEST', `${fullName} is not an instance of ${DD_INNER_TYPE} (it is a ${definition.level} of ${definition.type || 'nothing'}); jit list --type ${DD_INNER_TYPE} shows the DingTalk login instances`);
  }
  return app.getElement<DDInnerType>(fullName);
}
