/**
 * How commands talk to people: one line per problem on stderr, JSON on stdout with --json, and the
 * exit code convention (0 ok, 1 user error, 2 bad usage). Every line is passed through the secret
 * redactor.
 */
import { isJitError } from '../runtime/errors';
import { redactSecrets } from '../runtime/secrets';

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_USAGE = 2;

export function printLine(text: string): void {
  process.stdout.write(redactSecrets(text) + '\n');
}

export function printError(text: string): void {
  process.stderr.write(redactSecrets(text) + '\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(redactSecrets(JSON.stringify(value, null, 2)) + '\n');
}

/** Turns an error into one line and an exit code; never prints a stack trace for a user error. */
export function reportFailure(err: unknown): number {
  if (isJitError(err)) {
    printError(`error ${err.code}: ${err.message}`);
    return EXIT_USER_ERROR;
  }
  const message = err instanceof Error ? err.message : String(err);
  printError(`error INTERNAL_ERROR: ${message}`);
  if (process.env.JIT_DEBUG) printError(String((err as Error)?.stack ?? ''));
  return EXIT_USER_ERROR;
}
