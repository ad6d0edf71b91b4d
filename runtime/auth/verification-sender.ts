/**
 * Where bindExisting verification codes go (app.json `verification.sender`):
 *
 * - a module of the app: a path relative to the app folder, to a module exporting
 *   `send(phone, code, context)` (or a default export with it);
 * - `{ "webhook": "https://..." }`: each code is POSTed there as JSON `{phone, code, instance}`;
 * - the development sender, which writes codes to the log, loudly labelled: only when the app was
 *   loaded for development (`loadApp({ developmentSender: true })`, which `jit serve --sim` sets,
 *   as do tests). Never otherwise: a code in a production log is a bypass of the phone proof.
 *
 * `LoadAppOptions.verificationSender` (a library caller's own sender) wins over all of them. With
 * none of them, the sender refuses: the phone proof answers CONFIG_INVALID naming the setting.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JitError } from '../errors';
import type { Logger } from '../logger';
import type { VerificationSenderSetting } from '../settings';
import type { VerificationSender } from './types';

/** How long the webhook may take to accept a code. */
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface VerificationSenderSources {
  /** LoadAppOptions.verificationSender. */
  explicit?: VerificationSender;
  /** app.settings.verification.sender. */
  setting?: VerificationSenderSetting;
  /** LoadAppOptions.developmentSender (jit serve --sim, tests). */
  development?: boolean;
  appDir: string;
  logger: Logger;
}

/** The sender the app uses, chosen in the order the file comment gives. */
export function resolveVerificationSender(sources: VerificationSenderSources): VerificationSender {
  if (sources.explicit) return sources.explicit;
  const { setting } = sources;
  if (typeof setting === 'string') return createModuleVerificationSender(sources.appDir, setting);
  if (setting && typeof setting === 'object' && typeof setting.webhook === 'string') return createWebhookVerificationSender(setting.webhook);
  if (sources.development) return createLogVerificationSender(sources.logger);
  return refusingVerificationSender();
}

/**
 * The development sender: the code goes to the log (warning level, so it shows at any log level),
 * labelled as what it is. Announced once when created.
 */
export function createLogVerificationSender(logger: Logger): VerificationSender {
  logger.warn(
    'DEVELOPMENT verification sender: bindExisting codes are written to this log, never texted. It is only available under `jit serve --sim` and in tests; set verification.sender in app.json for real use.',
  );
  return {
    async send(phone, code, context) {
      logger.warn('DEVELOPMENT verification code (jit serve --sim or tests only; not texted to anyone)', { phone, code, instance: context.instance });
    },
  };
}

/** POSTs `{phone, code, instance}` as JSON; a non-2xx answer or a timeout is an error (logged by the caller, without the code). */
export function createWebhookVerificationSender(url: string): VerificationSender {
  const target = new URL(url);
  return {
    async send(phone, code, context) {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, code, instance: context.instance }),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      // The URL may carry a token in its query: errors name only its origin.
      if (!response.ok) throw new Error(`the verification webhook at ${target.origin} answered HTTP ${response.status}`);
    },
  };
}

/**
 * A module of the app, loaded on first use (so a broken module fails the phone proof with a clear
 * message instead of the whole app). It must stay inside the app folder.
 */
export function createModuleVerificationSender(appDir: string, modulePath: string): VerificationSender {
  let loaded: VerificationSender['send'] | undefined;
  const load = (): VerificationSender['send'] => {
    if (loaded) return loaded;
    const file = path.resolve(appDir, modulePath);
    const relative = path.relative(appDir, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw senderInvalid(`verification.sender "${modulePath}" must be a module inside the app folder`);
    }
    let exported: unknown;
    try {
      exported = require(require.resolve(file, { paths: [appDir] }));
    } catch (err) {
      const reason = fs.existsSync(file) || fs.existsSync(`${file}.js`) ? (err as Error).message : 'no such file';
      throw senderInvalid(`verification.sender "${modulePath}" could not be loaded: ${reason}`);
    }
    const mod = exported as { send?: unknown; default?: { send?: unknown } } | null;
    const send = mod?.send ?? mod?.default?.send;
    if (typeof send !== 'function') throw senderInvalid(`verification.sender "${modulePath}" must export send(phone, code, context)`);
    loaded = (phone, code, context) => Promise.resolve((send as VerificationSender['send'])(phone, code, context));
    return loaded;
  };
  return {
    assertReady: () => void load(),
    send: (phone, code, context) => load()(phone, code, context),
  };
}

/** No sender configured: the phone proof is refused, naming the setting that turns it on. */
export function refusingVerificationSender(): VerificationSender {
  const refusal = () =>
    senderInvalid(
      'Proving an account with a phone needs a verification sender: set verification.sender in app.json (a module of the app exporting send(phone, code, context), or {"webhook": "https://..."}). The development sender that writes codes to the log exists only under jit serve --sim and in tests.',
    );
  return {
    assertReady: () => {
      throw refusal();
    },
    send: async () => {
      throw refusal();
    },
  };
}

function senderInvalid(message: string): JitError {
  return new JitError('CONFIG_INVALID', message, { setting: 'verification.sender' });
}
