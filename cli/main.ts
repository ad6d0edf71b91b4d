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
 * The program with the command named in argv registered (`jit help <command>` counts as naming it).
 * When none is named (`--help`, `--version`, an unknown name) every command is listed by its summary
 * alone, so no command module is loaded: commander lists them, or suggests the closest name.
 */
export function buildProgram(argv: string[] = process.argv): Command {
  const program = new Command('jit')
    .description('jit-runtime: load, validate and serve low-code apps (DingTalk login elements)')
    .version(PACKAGE_VERSION)
    .showHelpAfterError()
    .exitOverride();
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const named = words[0] === 'help' ? words[1] : words[0];
  if (named !== undefined && Object.hasOwn(COMMANDS, named)) {
    COMMANDS[named].load()(program);
  } else {
    for (const [name, entry] of Object.entries(COMMANDS)) program.command(name).description(entry.summary);
  }
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
