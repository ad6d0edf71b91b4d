/**
 * loadApp: the library's entry point. Loads an app folder's definitions (every problem becomes a
 * diagnostic, and broken elements stay registered as invalid), opens its database unless told not
 * to, and optionally watches its folders for hot reload.
 */
import * as path from 'path';
import { App } from './app';
import type { LoadAppOptions } from './app-types';
import { formatDiagnostic } from './diagnostics';
import { loadDefinitions, readAppEnv, SourceFiles, unusableAppError } from './loader';
import { JitError } from './errors';
import { createLogger } from './logger';
import { joinProcessRedaction, SecretRegistry } from './secrets';

/**
 * Loads the app in `dir`. Throws JitError CONFIG_INVALID (with `details.diagnostics`) only when the
 * app itself cannot be identified (app.json missing, unreadable, or without a valid appId); any other
 * problem leaves the element concerned invalid and the rest of the app usable.
 */
export async function loadApp(dir: string, options: LoadAppOptions = {}): Promise<App> {
  checkOptions(options);
  const appDir = path.resolve(dir);
  // The app's own: its secrets (config secrets, tokens) and the logger that masks them.
  const secrets = new SecretRegistry();
  const leaveRedaction = joinProcessRedaction(secrets);
  const logger = options.logger ?? createLogger({ secrets });
  const files = new SourceFiles();
  // The environment is read once per load, here: the loader resolves {{NAME}} from it, and it is `app.env`.
  const env = readAppEnv(appDir, options.env);
  const result = loadDefinitions(appDir, { appEnv: env, files, secrets });
  if (result.fatal) {
    leaveRedaction();
    secrets.clear();
    throw unusableAppError(result);
  }
  for (const diagnostic of result.diagnostics) {
    const line = formatDiagnostic(diagnostic, process.cwd());
    if (diagnostic.severity === 'error') logger.warn(line, { code: diagnostic.code, fullName: diagnostic.fullName });
    else logger.info(line, { code: diagnostic.code, fullName: diagnostic.fullName });
  }

  const app = new App({ dir: appDir, options, files, result, logger, env, secrets, leaveRedaction });
  void app.errorCodes; // built from the Types' modules and sealed: the end of the load
  try {
    if (options.database !== false) await app.openDatabase(env);
    if (options.watch) {
      const { watchApp } = await import('./watch');
      const paths = result.layers.filter((layer) => !layer.isPlatform).map((layer) => layer.dir);
      app.watcher = watchApp(app, { paths, logger });
      await app.watcher.ready;
    }
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}

const OPTION_NAMES: ReadonlySet<keyof LoadAppOptions> = new Set<keyof LoadAppOptions>([
  'databaseUrl', 'database', 'watch', 'env', 'logger', 'verificationSender', 'developmentSender', 'passwordCost',
]);

/**
 * An option loadApp does not know is refused rather than ignored: a removed one (`dingtalk`, the
 * hosts, now read from the app's environment) would otherwise point the app somewhere else silently.
 */
function checkOptions(options: LoadAppOptions): void {
  for (const name of Object.keys(options)) {
    if (OPTION_NAMES.has(name as keyof LoadAppOptions)) continue;
    throw new JitError(
      'CONFIG_INVALID',
      `loadApp has no option "${name}" (its options: ${[...OPTION_NAMES].join(', ')}). Element families read what they need from the app's environment: pass env: { NAME: value } (e.g. the URL variables a family documents)`,
      { option: name },
    );
  }
}
