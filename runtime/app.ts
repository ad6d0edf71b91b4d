/**
 * App: a loaded app. It holds the registry of frozen definitions and, apart from it, the element
 * objects built from them: lazily on first `getElement`, with the class of the nearest
 * backendBundleEntry in [the element, its type, its type's type, ...], then cached.
 *
 * `reload()` re-runs the loader (reading only the files that changed) and swaps the registry in one
 * assignment. An element whose new files are broken keeps its last good definition (and object);
 * changed and removed elements' objects are disposed and rebuilt on next use. What changed is worked
 * out in runtime/reload.ts; the App only applies it.
 */
import * as fs from 'fs';
import type { AppHandle, DraftCheck, ElementFilter, LoadAppOptions } from './app-types';
import type { AuthStores } from './auth';
import type { AuditLog } from './audit/types';
import { resolveVerificationSender } from './auth/verification-sender';
import type { SessionStore, TicketStore, UserStore, VerificationSender } from './auth/types';
import type { FailureCounterStore } from './auth/failure-counters';
import { bundleDiagnostic, bundleOwner, forgetBundle, loadBundle, verifyBundles } from './bundles';
import type { Database, ModelContribution } from './db/types';
import type { ElementDefinition } from './definitions';
import type { Diagnostic } from './diagnostics';
import { Element, type ElementClass } from './element';
import { buildErrorCodes, type ErrorCodeRegistry } from './error-registry';
import { isJitError, JitError } from './errors';
import { loadDefinitions, SourceFiles, summarizeDiagnostics, type AppLayer, type LoadResult } from './loader';
import type { AppSettings } from './settings';
import type { AppMetrics } from './metrics/app-metrics';
import { closestNames } from './loader/names';
import type { Logger } from './logger';
import type { Registry } from './registry';
import { moduleStampsOf, planReload, type ReloadResult } from './reload';
import type { SecretRegistry } from './secrets';
import type { AppWatcher } from './watch';

export type { ReloadResult } from './reload';

/** Set by loadApp: what the App needs beyond the loader's result. */
export interface AppInit {
  dir: string;
  options: LoadAppOptions;
  files: SourceFiles;
  result: LoadResult;
  logger: Logger;
  /** The app's environment as loadApp read it (once per load). */
  env: Readonly<Record<string, string>>;
  /** The app's secrets, and how to take them out of the process's redaction when it closes. */
  secrets: SecretRegistry;
  leaveRedaction: () => void;
}

const MODELS_META = 'models.Meta';

export class App implements AppHandle {
  readonly appId: string;
  readonly dir: string;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: SecretRegistry;
  private readonly leaveRedaction: () => void;
  /** The file watcher when loaded with `watch: true`. */
  watcher?: AppWatcher;

  private titleValue: string;
  private result: LoadResult;
  private current: Registry;
  private readonly options: LoadAppOptions;
  private readonly files: SourceFiles;
  private readonly elements = new Map<string, Element>();
  /** BUNDLE_INVALID found while building elements, by the fullName of the element declaring the module. */
  private readonly bundleProblems = new Map<string, Diagnostic>();
  private fingerprints?: Map<string, string>;
  /** mtime and size of each element's own module when loaded: an edited module rebuilds the element. */
  private moduleStamps: Map<string, string>;
  /** The error-code registry of the current load (built, then sealed, at the end of each load). */
  private codes?: ErrorCodeRegistry;
  private database?: Database;
  private stores?: AuthStores;
  private auditLog?: AuditLog;
  private metricsValue?: AppMetrics;
  /** The sender and the settings it was chosen from (a hot reload may change verification.sender). */
  private sender?: { settings: AppSettings; sender: VerificationSender };
  private reloadQueue: Promise<unknown> = Promise.resolve();
  private readonly closeHooks: Array<() => void | Promise<void>> = [];
  private closed = false;

  /** Use `loadApp`. */
  constructor(init: AppInit) {
    this.dir = init.dir;
    this.options = init.options;
    this.files = init.files;
    this.result = init.result;
    this.current = init.result.registry;
    this.moduleStamps = moduleStampsOf(this.current);
    this.appId = init.result.app.appId;
    this.titleValue = init.result.app.title;
    this.logger = init.logger;
    this.env = init.env;
    this.secrets = init.secrets;
    this.leaveRedaction = init.leaveRedaction;
  }

  get title(): string {
    return this.titleValue;
  }

  /** The app's settings (app.json `sessions`, `limits`, `publicUrl`, ...), defaults filled in; frozen. */
  get settings(): AppSettings {
    return this.result.app.settings;
  }

  /** The apps this one is layered from: platform first, this app last. */
  get layers(): readonly AppLayer[] {
    return this.result.layers;
  }

  get registry(): Registry {
    return this.current;
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.bundleProblems.size ? [...this.result.diagnostics, ...this.bundleProblems.values()] : this.result.diagnostics;
  }

  /**
   * Every code of this app (the runtime's and those its Types' modules declare), sealed: who owns a
   * code, its status and meaning, its words (runtime/error-registry.ts). Built at the end of the load
   * (and of each reload); an element whose module declares a taken code fails to load.
   */
  get errorCodes(): ErrorCodeRegistry {
    if (!this.codes) {
      const build = buildErrorCodes(this.current, this.result.layers.map((layer) => layer.appId), this.files);
      this.codes = build.codes;
      for (const problem of build.problems) this.recordBundleProblem(problem);
    }
    return this.codes;
  }

  getDefinition(fullName: string): ElementDefinition | undefined {
    return this.current.get(fullName);
  }

  findElements(filter?: ElementFilter): ElementDefinition[] {
    return this.current.find(filter);
  }

  getElement<T = unknown>(fullName: string): T {
    if (this.closed) throw new JitError('INTERNAL_ERROR', `The app ${this.appId} is closed`);
    const cached = this.elements.get(fullName);
    if (cached) return cached as T;
    const definition = this.current.get(fullName);
    if (!definition) {
      const [suggestion] = closestNames(fullName, this.current.names(), 1);
      throw new JitError('ELEMENT_NOT_FOUND', `No element ${fullName} in ${this.appId}${suggestion ? `: did you mean ${suggestion}?` : ''}`, { fullName });
    }
    if (!definition.valid) throw elementInvalid(definition, definition.diagnostics);

    const elementClass = this.classFor(definition);
    let element: Element;
    try {
      element = new elementClass({ definition, app: this });
    } catch (err) {
      if (isJitError(err)) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new JitError('ELEMENT_INVALID', `${fullName} could not be built: ${reason}`, { fullName }, { cause: err });
    }
    this.elements.set(fullName, element);
    return element as T;
  }

  /**
   * Requires every valid element's module now instead of on first use, reporting modules that fail
   * or export no element class (BUNDLE_INVALID). Returns the new problems.
   */
  verifyBundles(): Diagnostic[] {
    const problems = verifyBundles(this.current, this.files).filter((d) => !this.bundleProblems.has(d.fullName!));
    for (const problem of problems) this.recordBundleProblem(problem);
    return problems;
  }

  get db(): Database {
    if (!this.database) {
      throw new JitError(
        'INTERNAL_ERROR',
        `${this.appId} was loaded with database: false, so it has no database: load it without that option to use app.db, users, sessions and tickets`,
      );
    }
    return this.database;
  }

  get users(): UserStore {
    return this.authStores().users;
  }

  get sessions(): SessionStore {
    return this.authStores().sessions;
  }

  get tickets(): TicketStore {
    return this.authStores().tickets;
  }

  /** The app's Prometheus metrics (built on first use, so loading an app to validate it does not load prom-client). */
  get metrics(): AppMetrics {
    if (!this.metricsValue) {
      const metrics = new (require('./metrics/app-metrics') as typeof import('./metrics/app-metrics')).AppMetrics();
      const sessions = () => this.stores?.sessions;
      metrics.gauge({
        name: 'jit_sessions_active',
        help: 'Live login sessions (not revoked, not expired), counted at each scrape',
        async collect() {
          const store = sessions();
          if (store) this.set(await store.countLive());
        },
      });
      this.metricsValue = metrics;
    }
    return this.metricsValue;
  }

  get audit(): AuditLog {
    if (!this.auditLog) this.db; // throws the clear error when there is no database
    return this.auditLog!;
  }

  get failures(): FailureCounterStore {
    return this.authStores().failures;
  }

  get verificationSender(): VerificationSender {
    const settings = this.settings;
    if (this.sender?.settings !== settings) {
      const sender = resolveVerificationSender({
        explicit: this.options.verificationSender,
        setting: settings.verification.sender,
        development: this.options.developmentSender,
        appDir: this.dir,
        logger: this.logger,
      });
      this.sender = { settings, sender };
    }
    return this.sender.sender;
  }

  /** Opens the database with the core models and every valid model element's contribution (migrations run). */
  async openDatabase(env: Record<string, string | undefined>): Promise<void> {
    const { openDatabase, resolveDatabaseUrl, coreModels } = await import('./db');
    const { createAuthStores, checkedCost, passwordCostFromEnv } = await import('./auth');
    // A bad cost is reported before the database is touched. The cost is the process's as much as
    // the app's: JIT_SCRYPT_N is read from the app's environment, else the process's.
    const passwordCost = this.options.passwordCost ? checkedCost(this.options.passwordCost) : passwordCostFromEnv({ ...process.env, ...env });
    const url = resolveDatabaseUrl(this.dir, this.options.databaseUrl, env);
    this.database = await openDatabase(url, [coreModels, ...this.modelContributions()], { logger: this.logger });
    const { DatabaseAuditLog } = await import('./audit/store');
    // Sessions live `sessions.ttl` seconds (app.json) unless a login asks otherwise; read once, at open.
    this.stores = createAuthStores(this.database, { passwordCost, sessionTtlSeconds: this.settings.sessions.ttl });
    this.auditLog = new DatabaseAuditLog(this.database, { logger: this.logger });
  }

  checkDraft(drafts: ReadonlyMap<string, string>): DraftCheck {
    // A cache of its own: the draft must not stand in for the files in the app's cache.
    const result = loadDefinitions(this.dir, { appEnv: this.env, secrets: this.secrets, files: new SourceFiles(drafts) });
    return { diagnostics: result.diagnostics, definition: (fullName) => result.registry.get(fullName) };
  }

  /** Re-runs the loader and swaps the registry; reloads run one at a time. */
  reload(): Promise<ReloadResult> {
    const next = this.reloadQueue.then(() => this.runReload()).then(async (result) => {
      await this.recordReload(result);
      return result;
    });
    this.reloadQueue = next.catch(() => undefined);
    return next;
  }

  /** A reload that changed something is a `config.reloaded` audit row (when the app has a database). */
  private async recordReload(result: ReloadResult): Promise<void> {
    const { added, changed, removed, kept } = result;
    if (!this.auditLog || added.length + changed.length + removed.length + kept.length === 0) return;
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    await this.auditLog.tryRecord({ type: 'config.reloaded', outcome: errors > 0 ? 'CONFIG_INVALID' : 'ok', details: { added, changed, removed, kept, errors } });
  }

  /** Disposes every built element (newest first), stops watching and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.watcher?.close();
    await this.reloadQueue;
    await this.disposeElements([...this.elements.keys()].reverse());
    for (const hook of this.closeHooks.splice(0).reverse()) {
      await Promise.resolve()
        .then(hook)
        .catch((err: unknown) => this.logger.warn('close hook failed', { err }));
    }
    await this.database?.close();
    // The app's secrets end with it; another app's are not touched.
    this.leaveRedaction();
    this.secrets.clear();
  }

  /**
   * Runs `hook` when the app closes, before its database does (newest first): per-app state an
   * element family keeps outside its elements (a DingTalk call budget's lease registration) ends with it.
   */
  onClose(hook: () => void | Promise<void>): void {
    this.closeHooks.push(hook);
  }

  private authStores(): AuthStores {
    if (!this.stores) this.db; // throws the clear error when there is no database
    return this.stores!;
  }

  private classFor(definition: ElementDefinition): ElementClass {
    const owner = bundleOwner(definition, this.current);
    if (!owner) return Element;
    const known = this.bundleProblems.get(owner.fullName);
    if (known) throw elementInvalid(definition, [known]);
    const load = loadBundle(owner.backendBundleEntry!);
    if (load.ok) return load.elementClass;
    const problem = bundleDiagnostic(owner, load.reason, this.files);
    this.recordBundleProblem(problem);
    throw elementInvalid(definition, [problem]);
  }

  /** The declaring element becomes invalid (in a new registry); its dependents fail with the same diagnostic. */
  private recordBundleProblem(problem: Diagnostic): void {
    const owner = this.current.get(problem.fullName!);
    if (!owner) return;
    this.bundleProblems.set(owner.fullName, problem);
    this.logger.warn(`element module failed: ${summarizeDiagnostics([problem], this.dir)}`, { fullName: owner.fullName });
    this.current = this.current.with([Object.freeze({ ...owner, valid: false, diagnostics: Object.freeze([...owner.diagnostics, problem]) as Diagnostic[] })]);
  }

  private modelContributions(): ModelContribution[] {
    const contributions: ModelContribution[] = [];
    const seen = new Set<string>();
    for (const definition of this.current.find({ type: MODELS_META })) {
      const owner = bundleOwner(definition, this.current);
      if (!owner || seen.has(owner.fullName)) continue;
      seen.add(owner.fullName);
      const load = loadBundle(owner.backendBundleEntry!);
      const contribution = load.ok ? (load.exports.contribution as ModelContribution | undefined) : undefined;
      if (contribution) contributions.push(contribution);
      else this.recordBundleProblem(bundleDiagnostic(owner, load.ok ? 'a model module must export `contribution` (its entity schemas and migrations)' : load.reason, this.files));
    }
    return contributions;
  }

  private async runReload(): Promise<ReloadResult> {
    const result = loadDefinitions(this.dir, { env: this.options.env, files: this.files, secrets: this.secrets });
    if (result.fatal) {
      // app.json itself is broken: everything stays as it was; the diagnostics say why.
      this.result = { ...this.result, diagnostics: result.diagnostics };
      return { added: [], changed: [], removed: [], kept: [...this.current.names()], diagnostics: result.diagnostics };
    }

    const previous = this.current;
    const plan = planReload({ registry: previous, fingerprints: this.fingerprints, moduleStamps: this.moduleStamps }, result);
    const { added, changed, removed, kept, edited } = plan;

    this.current = plan.registry;
    this.result = result;
    this.fingerprints = plan.fingerprints;
    this.moduleStamps = plan.moduleStamps;
    this.titleValue = result.app.title;
    for (const name of [...changed, ...removed]) {
      const definition = previous.get(name);
      if (definition?.backendBundleEntry && edited.has(name)) forgetBundle(definition.backendBundleEntry);
      this.bundleProblems.delete(name);
    }
    await this.disposeElements([...changed, ...removed]);
    this.codes = undefined;
    void this.errorCodes; // the new load's registry, sealed
    return { added, changed, removed, kept, diagnostics: result.diagnostics };
  }

  private async disposeElements(names: string[]): Promise<void> {
    for (const name of names) {
      const element = this.elements.get(name);
      if (!element) continue;
      this.elements.delete(name);
      try {
        await element.dispose();
      } catch (err) {
        this.logger.warn('element dispose failed', { fullName: name, err });
      }
    }
  }
}

/** ELEMENT_INVALID carrying the diagnostics, the first one in the message. */
function elementInvalid(definition: ElementDefinition, diagnostics: readonly Diagnostic[]): JitError {
  return new JitError('ELEMENT_INVALID', `${definition.fullName} failed to load: ${summarizeDiagnostics(diagnostics)}`, {
    fullName: definition.fullName,
    diagnostics: diagnostics.map((d) => ({ ...d })),
  });
}
