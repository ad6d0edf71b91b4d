/**
 * `jit doctor <instance> [--json]`: checks a DingTalk login's or corp's set-up against DingTalk
 * (credentials, permissions, IP whitelist, redirect URL, corpId, Stream), each check with what was
 * found and how to fix it. Exit 0 when all is well, 1 when any check found a problem, 2 for bad usage
 * (an instance that is not a DingTalk login or corp). Each run is recorded in the audit trail.
 */
import type { Command } from 'commander';
import { isJitError } from '../../runtime/errors';
import type { DoctorCheck, DoctorReport } from '../../dingtalk/doctor/types';
import { EXIT_USAGE, EXIT_USER_ERROR, printError, printJson, printLine } from '../output';
import { withAppDatabase, type AppDirOptions } from './db';

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok     ', problem: 'PROBLEM', skipped: 'skipped' };

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor <instance>')
    .description("Check a DingTalk login's or corp's set-up: credentials, permissions, IP whitelist, redirect URL, corpId, Stream")
    .option('--json', 'print the checks as JSON')
    .option('--app <dir>', 'app folder', '.')
    .action(async (instance: string, options: AppDirOptions & { json?: boolean }) => {
      const { doctorInstance } = require('../../elements/corps/doctor-subject') as typeof import('../../elements/corps/doctor-subject');
      let report: DoctorReport;
      try {
        report = await withAppDatabase(options.app, (app) => doctorInstance(app, instance));
      } catch (err) {
        if (isJitError(err) && err.details.usage === true) {
          printError(`error ${err.code}: ${err.message}`);
          process.exitCode = EXIT_USAGE;
          return;
        }
        throw err;
      }
      if (options.json) printJson(report);
      else for (const line of formatReport(report)) printLine(line);
      if (!report.ok) process.exitCode = EXIT_USER_ERROR;
    });
}

function formatReport(report: DoctorReport): string[] {
  const lines = [`jit doctor ${report.instance}${report.corp ? ` (and ${report.corp})` : ''}: appKey ${report.appKey}, corpId ${report.corpId}`];
  for (const check of report.checks) {
    lines.push(`  ${MARK[check.status]}  ${check.title}`);
    lines.push(`           ${check.detail}`);
    if (check.status === 'problem' && check.fix) lines.push(`           fix: ${check.fix}`);
  }
  const problems = report.checks.filter((c) => c.status === 'problem').length;
  lines.push(problems === 0 ? 'All checks passed.' : `${problems} problem${problems === 1 ? '' : 's'} found.`);
  return lines;
}
