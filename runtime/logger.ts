/**
 * Structured logging on pino: one JSON object per line (`level` as a word, `time` as ISO 8601, `msg`)
 * on stderr or a sink the host provides. Every line passes through the secret redactor before it is
 * written, so a secret that slips into a message is masked, not written. The Logger interface is ours,
 * so elements never depend on pino; `pinoOf(logger)` hands the pino instance to fastify.
 */
import pino, { type Logger as PinoLogger } from 'pino';
import { redactSecrets, redactWith, withProcessSecrets, type SecretRegistry } from './secrets';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogSink = (line: string) => void;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  base?: Record<string, unknown>;
  /**
   * Whose secrets the lines are masked of: an app's logger gets its app's registry (and masks that
   * app's secrets and the process registry's, no other app's). Omitted: every open app's (redactSecrets).
   */
  secrets?: SecretRegistry;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? ((process.env.JIT_LOG_LEVEL as LogLevel | undefined) ?? 'info');
  const sink = options.sink ?? ((line: string) => process.stderr.write(line + '\n'));
  const registries = options.secrets ? withProcessSecrets(options.secrets) : undefined;
  const redact = registries ? (text: string) => redactWith(text, registries) : redactSecrets;
  const root = pino(
    {
      level,
      base: options.base ?? null,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors are summarised by plainFields below; pino's own err serializer would add a stack.
      serializers: { err: (value: unknown) => value },
    },
    // pino writes each finished line here, synchronously: the redactor sees every byte before the sink does.
    { write: (line: string) => sink(redact(line.endsWith('\n') ? line.slice(0, -1) : line)) },
  );
  return wrap(root);
}

/** The pino instance behind a Logger made by createLogger (e.g. to hand fastify as its logger), if any. */
export function pinoOf(logger: Logger): PinoLogger | undefined {
  return PINO.get(logger);
}

const PINO = new WeakMap<Logger, PinoLogger>();

function wrap(instance: PinoLogger): Logger {
  const logger: Logger = {
    debug: (msg, fields) => instance.debug(plainFields(fields), msg),
    info: (msg, fields) => instance.info(plainFields(fields), msg),
    warn: (msg, fields) => instance.warn(plainFields(fields), msg),
    error: (msg, fields) => instance.error(plainFields(fields), msg),
    child: (fields) => wrap(instance.child(plainFields(fields))),
  };
  PINO.set(logger, instance);
  return logger;
}

/** Errors anywhere in the fields become {name, message, code}: no stack, no properties an error may carry (URLs with tokens). */
function plainFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) {
      out ??= { ...fields };
      out[key] = errorSummary(value);
    }
  }
  return out ?? fields;
}

function errorSummary(value: Error): Record<string, unknown> {
  const withCode = value as Error & { code?: unknown };
  return { name: value.name, message: value.message, code: withCode.code };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = wrap(pino({ level: 'silent' }));
