/**
 * `jit db migrate`: opens the app's database (JIT_DATABASE_URL, else sqlite:<app>/.jit/app.db) and
 * applies pending migrations of the core models and every model element, printing each one applied.
 * Also home of `withAppDatabase`, the way the database commands (users, bindings, db) open an app.
 */
import * as path from 'path';
import type { Command } from 'commander';
import { loadApp } from '../../runtime/load-app';
import type { AppHandle } from '../../runtime/app-types';
import { createLogger, type Logger } from '../../runtime/logger';
import { printJson, printLine } from '../output';

export interface AppDirOptions {
  app: string;
}

/** Loads the app at `dir` with its database open (migrations applied), runs fn, and closes the app. */
export async function withAppDatabase<T>(dir: string, fn: (app: AppHandle) => Promise<T>, options: { logger?: Logger } = {}): Promise<T> {
  // Only warnings and errors reach the terminal: the command's own output is the answer.
  const app = await loadApp(path.resolve(dir), { watch: false, logger: options.logger ?? createLogger({ level: 'warn' }) });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending database migrations and list the ones applied')
    .option('--app <dir>', 'app folder', '.')
    .option('--json', 'print the result as JSON')
    .action(async (options: AppDirOptions & { json?: boolean }) => {
      // Migrations run while the app opens its database; any still pending are applied here.
      const { displayUrl, applied } = await withAppDatabase(options.app, async (app) => ({
        displayUrl: app.db.displayUrl,
        applied: [...app.db.appliedOnOpen, ...(await app.db.runMigrations())],
      }));
      if (options.json) return printJson({ database: displayUrl, applied });
      printLine(applied.length === 0 ? `Database ${displayUrl} is up to date` : `Applied ${applied.length} migration(s) to ${displayUrl}:`);
      for (const name of applied) printLine(`  ${name}`);
    });
}
