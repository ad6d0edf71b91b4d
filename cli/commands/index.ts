/**
 * The list of commands `jit` knows. One file per command; add yours here.
 */
import type { Command } from 'commander';
import { registerSimCommand } from './sim';
import { registerUsersCommand } from './users';
import { registerBindingsCommand } from './bindings';
import { registerDbCommand } from './db';
import { registerOrgCommand } from './org';
import { registerInitCommand } from './init';
import { registerCreateCommand } from './create';
import { registerValidateCommand } from './validate';
import { registerListCommand } from './list';
import { registerShowCommand } from './show';
import { registerServeCommand } from './serve';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerSimCommand, registerUsersCommand, registerBindingsCommand, registerDbCommand, registerOrgCommand, registerInitCommand, registerCreateCommand, registerValidateCommand, registerListCommand, registerShowCommand, registerServeCommand];
