/**
 * The commands `jit` knows, by name: a one-line summary (what `jit --help` lists) and a loader. One
 * file per command; add yours here.
 *
 * Each entry loads its module only when that command runs: a command's module pulls in what it needs
 * (the HTTP host, TypeORM, the DingTalk client...), so `jit validate` does not pay for `jit serve`'s,
 * and `jit --help` / `jit --version` load no command module at all (the summaries are enough).
 * tests/cli/startup.test.ts keeps each summary equal to its command's own description.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export interface CommandEntry {
  summary: string;
  load: () => RegisterCommand;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  init: { summary: 'Create a new app folder', load: () => (require('./init') as typeof import('./init')).registerInitCommand },
  create: { summary: 'Scaffold an Instance of a Type: e.json and its business config', load: () => (require('./create') as typeof import('./create')).registerCreateCommand },
  validate: {
    summary: 'Check an app: every problem as file:line:col CODE message; exit 1 on any error',
    load: () => (require('./validate') as typeof import('./validate')).registerValidateCommand,
  },
  codes: {
    summary: 'List the codes a person can see (errors with their HTTP status, page codes, failure reasons) and who owns each; or look one up',
    load: () => (require('./codes') as typeof import('./codes')).registerCodesCommand,
  },
  list: { summary: 'List the elements of an app', load: () => (require('./list') as typeof import('./list')).registerListCommand },
  show: {
    summary: 'Show one element: definition, config (secrets redacted), provenance, diagnostics',
    load: () => (require('./show') as typeof import('./show')).registerShowCommand,
  },
  serve: { summary: 'Serve an app over HTTP: element functions, /login pages, /healthz', load: () => (require('./serve') as typeof import('./serve')).registerServeCommand },
  sim: { summary: 'run the DingTalk simulator (oapi, api and login hosts on one local URL)', load: () => (require('./sim') as typeof import('./sim')).registerSimCommand },
  users: { summary: 'Local user accounts', load: () => (require('./users') as typeof import('./users')).registerUsersCommand },
  bindings: { summary: 'DingTalk account bindings', load: () => (require('./bindings') as typeof import('./bindings')).registerBindingsCommand },
  org: { summary: "The organisations of the app's corps (departments and members)", load: () => (require('./org') as typeof import('./org')).registerOrgCommand },
  db: { summary: 'Database maintenance', load: () => (require('./db') as typeof import('./db')).registerDbCommand },
  doctor: {
    summary: "Check a DingTalk login's or corp's set-up: credentials, permissions, IP whitelist, redirect URL, corpId, Stream",
    load: () => (require('./doctor') as typeof import('./doctor')).registerDoctorCommand,
  },
  'script-hashes': {
    summary: "Hash DingTalk's browser scripts at the script base and print the app.json lines that pin them (subresource integrity)",
    load: () => (require('./script-hashes') as typeof import('./script-hashes')).registerScriptHashesCommand,
  },
  audit: {
    summary: 'The audit trail: logins, bindings, users, sessions, operator actions',
    load: () => (require('./audit') as typeof import('./audit')).registerAuditCommand,
  },
};
