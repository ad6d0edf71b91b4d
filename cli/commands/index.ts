/**
 * The list of commands `jit` knows. One file per command; add yours here.
 */
import type { Command } from 'commander';
import { registerSimCommand } from './sim';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerSimCommand];
