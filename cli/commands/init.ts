/**
 * `jit init [dir] --app-id <org.name> [--title <title>]`: a new app folder: app.json (with a
 * `$schema` reference for editors), a .gitignore keeping .jit/ and .env out of git, and an empty
 * auths/loginTypes/ for the first login instance. Refuses a folder that is not empty.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { APP_SCHEMA_FILE } from '../../runtime/loader';
import { displayPath, refuse } from '../app-option';
import { schemaReference } from '../schema-reference';
import { printLine } from '../output';

const APP_ID_RULE = new RegExp((require(APP_SCHEMA_FILE) as { properties: { appId: { pattern: string } } }).properties.appId.pattern);

export function registerInitCommand(program: Command): void {
  program
    .command('init [dir]')
    .description('Create a new app folder')
    .requiredOption('--app-id <org.name>', 'the app id, <org>.<app> (e.g. acme.hr)')
    .option('--title <title>', 'a name for people (default: the app id)')
    .option('--app <dir>', 'app folder (same as [dir])', '.')
    .action((dirArgument: string | undefined, options: { appId: string; title?: string; app: string }) => {
      const dir = path.resolve(dirArgument ?? options.app);
      if (!APP_ID_RULE.test(options.appId)) {
        return refuse(`--app-id "${options.appId}" is not <org>.<app>: two names joined by one dot, each starting with a letter (e.g. acme.hr)`);
      }
      if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
        return refuse(`${displayPath(dir)} is not an empty folder: choose a new folder for the app`);
      }
      fs.mkdirSync(path.join(dir, 'auths', 'loginTypes'), { recursive: true });
      const appJson = {
        $schema: schemaReference(dir, APP_SCHEMA_FILE),
        appId: options.appId,
        title: options.title ?? options.appId,
        version: '0.1.0',
        extends: [],
      };
      fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify(appJson, null, 2) + '\n');
      fs.writeFileSync(path.join(dir, '.gitignore'), '# the app database and local secrets stay out of git\n.jit/\n.env\nnode_modules/\n');
      printLine(`Created app ${options.appId} in ${displayPath(dir)}`);
      printLine(`Next: jit create auths.loginTypes.myLogin --type auths.loginTypes.DDInnerType --app ${displayPath(dir)} --app-key <Client ID> --corp-id <CorpId> --agent-id <AgentId>`);
    });
}
