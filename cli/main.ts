#!/usr/bin/env node
/**
 * `jit`: the command-line entry. Each command lives in cli/commands/<name>.ts and registers itself
 * here; exit codes are 0 success, 1 a user error (one line per problem), 2 bad usage.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { reportFailure } from './output';

export function buildProgram(): Command {
  const program = new Command('jit')
    .description('jit-runtime: load, validate and serve low-code apps (DingTalk login elements)')
    .version(require('../package.json').version as string)
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
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
