/**
 * `jit-runtime/host`: the HTTP host `jit serve` runs (fastify): element functions, sessions, the login
 * pages and the admin console, for an app that serves itself from its own process:
 *   const { loadApp } = require('jit-runtime');
 *   const { createHost } = require('jit-runtime/host');
 *   const host = createHost(await loadApp(dir));
 *   await host.listen(3000, '127.0.0.1');
 * Apart from the package root so an app that only loads elements does not load fastify (nor chokidar).
 */
export { createHost, DEFAULT_BODY_LIMIT, type Host, type HostOptions } from './runtime/http/host';
// DingTalk's page scripts live with DingTalk (the login Type contributes them to the host); kept here for callers of this entry.
export { DINGTALK_SCRIPTS, DINGTALK_SCRIPT_PATHS, dingtalkScripts, type PageScripts, type ScriptIntegrity } from './dingtalk/page-scripts';
// Hot reload of app folders, as `jit serve --watch` runs it (loadApp's `watch: true` starts one itself).
export { watchApp, type AppWatcher, type WatchOptions, type ReloadEvent, type ReloadableApp } from './runtime/watch';
