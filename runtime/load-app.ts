/**
 * loadApp: the library's entry point. Loads an app folder's definitions (every problem becomes a
 * diagnostic, and broken elements stay registered as invalid), opens its database unless told not
 * to, and optionally watches its folders for hot reload.
 */
import * as path from 'path';
import { App } from './app';
import { DEFAULT_DINGTALK_HOSTS, type DingTalkHosts, type LoadAppOptions } from './app-types';
import { formatDiagnostic } from './diagnostics';
import { loadDefinitions, readAppEnv, SourceFiles, unusableAppError } from './loader';
import { createLogger } from './logger';

/**
 * Loads the app in `dir`. Throws JitError CONFIG_INVALID (with `details.diagnostics`) only when the
 * app itself cannot be identified (app.json missing, unreadable, or without a valid appId); any other
 * problem leaves the element concerned invalid and the rest of the app usable.
 */
export async function loadApp(dir: string, options: LoadAppOptions = {}): Promise<App> {
  const appDir = path.resolve(dir);
  const logger = options.logger ?? createLogger();
  const files = new SourceFiles();
  const result = loadDefinitions(appDir, { env: options.env, files });
  if (result.fatal) throw unusableAppError(result);
  for (const diagnostic of result.diagnostics) {
    const line = formatDiagnostic(diagnostic, process.cwd());
    if (diagnostic.severity === 'error') logger.warn(line, { code: diagnostic.code, fullName: diagnostic.fullName });
    else logger.info(line, { code: diagnostic.code, fullName: diagnostic.fullName });
  }

  const env = readAppEnv(appDir, options.env);
  const app = new App({ dir: appDir, options, files, result, logger, dingtalk: resolveDingTalkHosts(options.dingtalk, env) });
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

/** options.dingtalk > DINGTALK_OAPI_URL / DINGTALK_API_URL / DINGTALK_LOGIN_URL > the real hosts; no trailing slash. */
export function resolveDingTalkHosts(overrides: Partial<DingTalkHosts> = {}, env: Record<string, string | undefined> = process.env): DingTalkHosts {
  const pick = (override: string | undefined, variable: string, fallback: string) => (override || env[variable] || fallback).replace(/\/+$/, '');
  return Object.freeze({
    oapiUrl: pick(overrides.oapiUrl, 'DINGTALK_OAPI_URL', DEFAULT_DINGTALK_HOSTS.oapiUrl),
    apiUrl: pick(overrides.apiUrl, 'DINGTALK_API_URL', DEFAULT_DINGTALK_HOSTS.apiUrl),
    loginUrl: pick(overrides.loginUrl, 'DINGTALK_LOGIN_URL', DEFAULT_DINGTALK_HOSTS.loginUrl),
  });
}
