/**
 * The surface of a loaded app that elements and hosts use. `runtime/app.ts` implements it; elements
 * depend only on this interface (and the rest of the runtime's public surface), never on the host.
 */
import type { Diagnostic } from './diagnostics';
import type { ErrorCodeLookup } from './errors';
import type { ElementDefinition, ElementLevel } from './definitions';
import type { Logger } from './logger';
import type { AppSettings } from './settings';
import type { AppMetrics } from './metrics/app-metrics';
import type { Database } from './db/types';
import type { SessionStore, TicketStore, UserStore, VerificationSender } from './auth/types';
import type { AuditLog } from './audit/types';
import type { FailureCounterStore } from './auth/failure-counters';
import type { PasswordCost } from './auth/passwords';
import type { AppWatcher } from './watch';
import type { SecretRegistry } from './secrets';

export interface LoadAppOptions {
  /** `sqlite:<path>` or `postgres://...`; default JIT_DATABASE_URL, else sqlite:<appDir>/.jit/app.db. */
  databaseUrl?: string;
  /** false: load and validate definitions only, open no database (validate, list, show). */
  database?: boolean;
  /** Reload element folders on change (chokidar); see runtime/watch.ts. */
  watch?: boolean;
  /**
   * Overrides of the app's environment: over the process environment, over the app's `.env`. Read
   * once per load into `app.env` ({{NAME}} references in config, and what element families read from
   * it, e.g. DINGTALK_API_URL; tests and `jit serve --sim` pass the simulator's with `simulatorEnv(sim)`).
   */
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Where bindExisting verification codes go; wins over app.json `verification.sender`. */
  verificationSender?: VerificationSender;
  /**
   * Allow the development verification sender (codes written to the log) when app.json sets no
   * `verification.sender`. Only `jit serve --sim` and tests set it; otherwise the phone proof is refused.
   */
  developmentSender?: boolean;
  /** scrypt cost of password hashes (default: JIT_SCRYPT_N, else N=2^17, r=8, p=1). Tests lower it. */
  passwordCost?: Partial<PasswordCost>;
}

export interface ElementFilter {
  /** Elements whose type chain contains this fullName (its direct or indirect instances/subtypes). */
  type?: string;
  level?: ElementLevel;
  /** Only elements that loaded without errors (default true). */
  validOnly?: boolean;
}

export interface AppHandle {
  readonly appId: string;
  readonly dir: string;
  readonly title: string;
  readonly logger: Logger;
  /** The app's environment, read once per load: `.env` < process environment < LoadAppOptions.env. Frozen. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The app's secrets (config secrets the loader resolved, tokens its elements hold): its logger masks
   * them, and closing the app forgets them. An element holding a secret of its own registers it here.
   */
  readonly secrets: SecretRegistry;
  /** The app's settings (app.json), defaults filled in; frozen. See schemas/app.schema.json. */
  readonly settings: AppSettings;
  /** Every diagnostic of the last load, across all layers. */
  readonly diagnostics: readonly Diagnostic[];

  /** Every code of the app (the runtime's and its Types'), sealed at the end of the load: `errorCodes.lookup(code)`. */
  readonly errorCodes: ErrorCodeLookup;

  /** The loaded element (instantiated lazily, cached). Throws JitError ELEMENT_NOT_FOUND / ELEMENT_INVALID. */
  getElement<T = unknown>(fullName: string): T;
  getDefinition(fullName: string): ElementDefinition | undefined;
  findElements(filter?: ElementFilter): ElementDefinition[];

  /** Persistence; throws when the app was loaded with `database: false`. */
  readonly db: Database;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly tickets: TicketStore;
  /** Failure counters and limits on costly actions, shared by every host (runtime/auth/failure-counters.ts). */
  readonly failures: FailureCounterStore;
  /** Where verification codes go (see runtime/auth/verification-sender.ts); one that refuses when none is configured. */
  readonly verificationSender: VerificationSender;
  /** The app's Prometheus metrics registry (runtime metrics, and those elements declare). */
  readonly metrics: AppMetrics;
  /** The audit trail (runtime/audit): `record(event, manager?)` inside the change's transaction, list, export, prune. */
  readonly audit: AuditLog;

  /** Runs `hook` when the app closes, before its database does (newest first). */
  onClose(hook: () => void | Promise<void>): void;
  /** The file watcher when the app was loaded with `watch: true` (hot reload); else undefined. */
  readonly watcher?: AppWatcher;
  /**
   * Runs the loader over the app's files with `drafts` (file contents by absolute path) read instead
   * of the files on disk, or besides them: what `jit validate` would say if they were saved. Nothing
   * is written and nothing changes in the running app.
   */
  checkDraft(drafts: ReadonlyMap<string, string>): DraftCheck;

  close(): Promise<void>;
}

/** The loader's verdict on a draft (see `checkDraft`). */
export interface DraftCheck {
  diagnostics: readonly Diagnostic[];
  definition(fullName: string): ElementDefinition | undefined;
}
