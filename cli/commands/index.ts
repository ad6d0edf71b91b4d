/**
 * The commands `jit` knows, by name. One file per command; add yours here.
 *
 * Each entry loads its module only when asked: a command's module pulls in what it needs (the HTTP
 * host, TypeORM, the DingTalk client...), and `jit validate` should not pay for `jit serve`'s.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: Readonly<Record<string, () => RegisterCommand>> = {
  init: () => (require('./init') as typeof import('./init')).registerInitCommand,
  create: () => (require('./create') as typeof import('./create')).registerCreateCommand,
  validate: () => (require('./validate') as typeof import('./validate')).registerValidateCommand,
  list: () => (require('./list') as typeof import('./list')).registerListCommand,
  show: () => (require('./show') as typeof import('./show')).registerShowCommand,
  serve: () => (require('./serve') as typeof import('./serve')).registerServeCommand,
  sim: () => (require('./sim') as typeof import('./sim')).registerSimCommand,
  users: () => (require('./users') as typeof import('./users')).registerUsersCommand,
  bindings: () => (require('./bindings') as typeof import('./bindings')).registerBindingsCommand,
  org: () => (require('./org') as typeof import('./org')).registerOrgCommand,
  db: () => (require('./db') as typeof import('./db')).registerDbCommand,
  audit: () => (require('./audit') as typeof import('./audit')).registerAuditCommand,
};
