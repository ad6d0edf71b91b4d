/**
 * The list of commands `jit` knows. One file per command; add yours here.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];
