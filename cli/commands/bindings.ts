/**
 * `jit bindings list|unbind`: the DingTalk account bindings (DDInnerAuthModel rows). Unbinding
 * removes the row and ends every session that came through it; the local user stays, and the
 * member's next login goes through the binding policy again (autoBind, createUser, bindExisting or
 * reject).
 */
import type { Command } from 'commander';
import { cliActor } from '../../runtime/audit/actor';
import { JitError } from '../../runtime/errors';
import { DD_INNER_AUTH_MODEL } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { DDInnerAuthModel } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import { unbindMember } from '../../elements/auths/loginTypes/DDInnerType/binding/unbind';
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
    .description('Remove a binding and end the sessions that came through it (the local user stays)')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print the result as JSON')
    .action(async (bindingId: string, options: AppDirOptions & { json?: boolean }) => {
      const removed = await withAppDatabase(options.app, (app) => unbindMember(app, app.getElement<DDInnerAuthModel>(DD_INNER_AUTH_MODEL), bindingId, cliActor()));
      if (!removed) throw new JitError('NOT_FOUND', `No binding with id ${bindingId}; see jit bindings list`);
      if (options.json) return printJson({ removed: bindingId, userId: removed.binding.userId, revokedSessions: removed.revokedSessions });
      printLine(`Removed binding ${bindingId}; ended ${removed.revokedSessions} session(s) that came through it`);
    });
}
