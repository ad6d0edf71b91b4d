/**
 * `jit bindings list|unbind`: the DingTalk account bindings (DDInnerAuthModel rows). Unbinding
 * removes the row and ends the sessions opened through it: the local user stays, and the member's
 * next login goes through the binding policy again (autoBind, createUser, bindExisting or reject).
 */
import type { Command } from 'commander';
import type { AppHandle } from '../../runtime/app-types';
import { cliActor } from '../../runtime/audit/actor';
import { JitError } from '../../runtime/errors';
import { DD_INNER_AUTH_MODEL } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { DDInnerAuthModel } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import { printJson, printLine } from '../output';
import { withAppDatabase, type AppDirOptions } from './db';

export function registerBindingsCommand(program: Command): void {
  const bindings = program.command('bindings').description('DingTalk account bindings');

  bindings
    .command('list')
    .description('List DingTalk bindings')
    .option('--corp-id <corpId>', 'only this organisation')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print JSON')
    .action(async (options: AppDirOptions & { corpId?: string; json?: boolean }) => {
      const rows = await withAppDatabase(options.app, (app) => app.getElement<DDInnerAuthModel>(DD_INNER_AUTH_MODEL).list({ corpId: options.corpId }));
      if (options.json) return printJson(rows);
      if (rows.length === 0) return printLine('No bindings');
      for (const row of rows) {
        printLine(`${row.id}  user ${row.userId}  <- DingTalk ${row.thirdCorpId}/${row.thirdUserId}${row.unionId ? `  unionId ${row.unionId}` : ''}`);
      }
    });

  bindings
    .command('unbind <bindingId>')
    .description('Remove a binding (the local user stays)')
    .option('--app <dir>', 'app folder', '.')
    .action(async (bindingId: string, options: AppDirOptions) => {
      const removed = await withAppDatabase(options.app, (app) => unbind(app, bindingId));
      if (!removed) throw new JitError('NOT_FOUND', `No binding with id ${bindingId}; see jit bindings list`);
      printLine(`Removed binding ${bindingId}`);
      if (removed.sessions > 0) printLine(`Ended ${removed.sessions} session(s) opened through it`);
    });
}

/**
 * Removes the binding, ends the sessions opened through it, and records both (binding.removed,
 * session.revoked) in one transaction: none of it happens without its audit rows. null: no such binding.
 */
async function unbind(app: AppHandle, bindingId: string): Promise<{ sessions: number } | null> {
  const model = app.getElement<DDInnerAuthModel>(DD_INNER_AUTH_MODEL);
  return app.db.transaction(async (manager) => {
    const row = await model.findById(bindingId, manager);
    if (!row || !(await model.remove(bindingId, manager))) return null;
    const sessions = await app.sessions.revokeForBinding(row.userId, bindingId, manager);
    const who = { corpId: row.thirdCorpId, dingtalkUserId: row.thirdUserId, unionId: row.unionId, userId: row.userId };
    await app.audit.record({ type: 'binding.removed', ...who, details: { bindingId, ...cliActor() } }, manager);
    if (sessions > 0) await app.audit.record({ type: 'session.revoked', ...who, details: { bindingId, sessions, reason: 'binding.removed', ...cliActor() } }, manager);
    return { sessions };
  });
}
