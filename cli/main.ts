#!/usr/bin/env node
/**
 * `jit`: the command-line entry. Each command lives in cli/commands/<name>.ts and registers itself
 * here; exit codes are 0 success, 1 a user error (one line per problem), 2 bad usage.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { reportFailure } from './output';
import { PACKAGE_VERSION } from '../runtime/package-root';

/**
 * The program with the command named in argv registered, or every command when none is named (help,
 * an unknown name: commander then lists them all or suggests the closest).
 */
export function buildProgram(argv: string[] = process.argv): Command {
  const program = new Command('jit')
    .description('jit-runtime: load, validate and serve low-code apps (DingTalk login elements)')
    .version(PACKAGE_VERSION)
    .showHelpAfterError()
    .exitOverride();
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [COMMANDS[named]] : Object.values(COMMANDS);
  for (const load of wanted) load()(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other commander error is bad usage.
      return err.exitCode === 0 ? 0 : 2;
    }
    return reportFailure(err);
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
