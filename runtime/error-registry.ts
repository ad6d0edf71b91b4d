/**
 * The error-code registry of one loaded app: the runtime's codes (core, the login vocabulary of the
 * runtime's auth, the pages' own failure code) plus every code the app's Types declare in their
 * modules (`export const errorCodes = [TABLE, ...]`, tables made with `defineErrorCodes` or
 * `defineCodeVocabulary`). It is built when the app loads and then sealed: nothing registers after
 * that, so `lookup(code)` answers the same for the whole life of the load (a hot reload builds a new one).
 *
 * The same declaration registered twice (one table exported by two Types, or two copies of a
 * package) is no duplicate; a code another owner declares differently is (DECISIONS "Login
 * vocabulary and error codes"): the element whose module declares it gets an ERROR_CODE_DUPLICATE
 * diagnostic and fails to load, not the app, and none of its codes are registered.
 */
import { loadBundle } from './bundles';
import type { ElementDefinition } from './definitions';
import type { Diagnostic } from './diagnostics';
import { CORE_ERRORS, CORE_PAGE_CODES, JitError, type CodeDeclaration, type CodeKind, type CodeTable, type ErrorCodeDeclaration, type ErrorCodeLookup, type RegisteredCode } from './errors';
import { LOGIN_ERRORS, LOGIN_REASONS } from './auth/login-error-codes';
import type { SourceFiles } from './loader/parse';
import type { Registry } from './registry';
import type { Language } from './settings';

/** A code another owner declares differently. */
export interface CodeConflict {
  readonly code: string;
  readonly taken: RegisteredCode;
  readonly offered: CodeDeclaration;
}

/** The runtime's own tables: in every registry, first. */
export const RUNTIME_CODE_TABLES: readonly CodeTable[] = Object.freeze([CORE_ERRORS, LOGIN_ERRORS, LOGIN_REASONS, CORE_PAGE_CODES]);

export type { RegisteredCode } from './errors';

export class ErrorCodeRegistry implements ErrorCodeLookup {
  /** By `kind:code`: a typed reason may share its name with an error code (NOT_CORP_MEMBER is both). */
  private readonly byKey = new Map<string, RegisteredCode>();
  private sealedValue = false;

  /** A registry holding the runtime's codes only (not sealed). */
  constructor() {
    const conflicts = this.register(RUNTIME_CODE_TABLES, 'runtime');
    if (conflicts.length > 0) throw new TypeError(`the runtime's own code tables conflict: ${conflicts.map((c) => c.code).join(', ')}`);
  }

  get sealed(): boolean {
    return this.sealedValue;
  }

  /**
   * Registers `tables` for the element `declaredBy`, all or nothing: returns the conflicts (and
   * registers none) when a code is taken by a different declaration. Throws once sealed.
   */
  register(tables: readonly CodeTable[], declaredBy: string): CodeConflict[] {
    if (this.sealedValue) throw new JitError('INTERNAL_ERROR', `The error-code registry is sealed: ${declaredBy} cannot register codes after the app loaded (export them from the Type's module as errorCodes)`);
    const offered = new Map<string, CodeDeclaration>();
    const conflicts: CodeConflict[] = [];
    for (const declaration of tables.flatMap((table) => table.declarations)) {
      const key = keyOf(declaration.kind, declaration.code);
      const taken = this.byKey.get(key);
      const earlier = offered.get(key);
      if (taken && !sameDeclaration(taken, declaration)) conflicts.push({ code: declaration.code, taken, offered: declaration });
      else if (earlier && !sameDeclaration(earlier, declaration)) conflicts.push({ code: declaration.code, taken: { ...earlier, declaredBy }, offered: declaration });
      else offered.set(key, declaration);
    }
    if (conflicts.length > 0) return conflicts;
    for (const [key, declaration] of offered) {
      if (!this.byKey.has(key)) this.byKey.set(key, Object.freeze({ ...declaration, declaredBy }));
    }
    return [];
  }

  /** Ends registration: `register` throws from now on. */
  seal(): this {
    this.sealedValue = true;
    return this;
  }

  /**
   * Who owns a code, what it means and (errors) its HTTP status; undefined for a code no one
   * declares. Without `kind`, an error code first, then a page code, a reason, a sync failure.
   */
  lookup(code: string, kind?: CodeKind): RegisteredCode | undefined {
    if (kind) return this.byKey.get(keyOf(kind, code));
    for (const each of KINDS) {
      const found = this.byKey.get(keyOf(each, code));
      if (found) return found;
    }
    return undefined;
  }

  has(code: string, kind?: CodeKind): boolean {
    return this.lookup(code, kind) !== undefined;
  }

  /** Every code, in registration order (the runtime's first); of one kind when given. */
  all(kind?: CodeKind): RegisteredCode[] {
    const codes = [...this.byKey.values()];
    return kind ? codes.filter((c) => c.kind === kind) : codes;
  }

  /**
   * A JitError of a registered error code, for code that knows a code by name but not its owner's
   * table (the console starting a corp's sync says SYNC_IN_PROGRESS, which the corps family owns).
   * An unregistered code is a bug: INTERNAL_ERROR naming it.
   */
  error(code: string, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }): JitError {
    const found = this.byKey.get(keyOf('error', code));
    if (!found) {
      return new JitError('INTERNAL_ERROR', `No error code ${code} is registered in this app${message ? `: ${message}` : ''}`, details, options);
    }
    return new JitError(found as ErrorCodeDeclaration, message, details, options);
  }

  /** The words for people of every code that has them, in `language` (English where it has none). */
  wordsFor(language: Language): Record<string, string> {
    const words: Record<string, string> = {};
    for (const entry of this.byKey.values()) {
      if (entry.words && !(entry.code in words)) words[entry.code] = entry.words[language] ?? entry.words.en;
    }
    return words;
  }
}

const KINDS: readonly CodeKind[] = ['error', 'page', 'reason', 'sync-failure'];

function keyOf(kind: CodeKind, code: string): string {
  return `${kind}:${code}`;
}

function sameDeclaration(a: CodeDeclaration, b: CodeDeclaration): boolean {
  return (
    a.code === b.code &&
    a.owner === b.owner &&
    a.kind === b.kind &&
    a.status === b.status &&
    a.summary === b.summary &&
    JSON.stringify(a.words ?? null) === JSON.stringify(b.words ?? null)
  );
}

/** The result of building an app's registry: the sealed registry, and a diagnostic per element that declared badly. */
export interface ErrorCodeBuild {
  codes: ErrorCodeRegistry;
  problems: Diagnostic[];
}

/**
 * The app's registry: the runtime's codes, then the codes of each valid Type's (and Meta's) module,
 * the platform's layers first, then by fullName, so an app's own Type never takes a platform code
 * away from the platform's element. A module that cannot be required is skipped here (its element
 * reports BUNDLE_INVALID when used). Sealed when returned.
 */
export function buildErrorCodes(registry: Registry, layerOrder: readonly string[], files?: SourceFiles): ErrorCodeBuild {
  const codes = new ErrorCodeRegistry();
  const problems: Diagnostic[] = [];
  const readModules = new Set<string>();
  const rank = (d: ElementDefinition) => {
    const index = layerOrder.indexOf(d.appId);
    return index < 0 ? layerOrder.length : index;
  };
  const declaring = registry
    .find()
    .filter((d) => d.level !== 'instance' && d.backendBundleEntry)
    .sort((a, b) => rank(a) - rank(b) || (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  for (const definition of declaring) {
    const modulePath = definition.backendBundleEntry!;
    if (readModules.has(modulePath)) continue;
    readModules.add(modulePath);
    const load = loadBundle(modulePath);
    if (!load.ok || load.exports.errorCodes === undefined) continue;
    const tables = codeTablesOf(load.exports.errorCodes);
    if (typeof tables === 'string') {
      problems.push(problemAt(definition, files, 'ERROR_CODES_INVALID', `the errorCodes that the module of ${definition.fullName} exports ${tables}: export an array of tables made with defineErrorCodes or defineCodeVocabulary (from 'jit-runtime')`));
      continue;
    }
    const conflicts = codes.register(tables, definition.fullName);
    if (conflicts.length > 0) problems.push(problemAt(definition, files, 'ERROR_CODE_DUPLICATE', conflictMessage(definition, conflicts)));
  }
  return { codes: codes.seal(), problems };
}

/** The tables an `errorCodes` export holds (one table or an array of them), or what is wrong with it. */
function codeTablesOf(exported: unknown): CodeTable[] | string {
  const list = Array.isArray(exported) ? exported : [exported];
  for (const [index, item] of list.entries()) {
    const table = item as Partial<CodeTable> | null;
    if (!table || typeof table !== 'object' || typeof table.owner !== 'string' || !Array.isArray(table.declarations)) {
      return `hold something else at ${Array.isArray(exported) ? `index ${index}` : 'the top'}`;
    }
  }
  return list as CodeTable[];
}

function conflictMessage(definition: ElementDefinition, conflicts: CodeConflict[]): string {
  const lines = conflicts.map(({ code, taken, offered }) => {
    const takenBy = taken.declaredBy === 'runtime' ? `the runtime (owner "${taken.owner}")` : `owner "${taken.owner}" in the module of ${taken.declaredBy}`;
    return `${code} (owner "${offered.owner}") is already declared differently by ${takenBy}`;
  });
  return `the module of ${definition.fullName} declares error codes another owner has: ${lines.join('; ')}. Rename the codes (prefix them with your family's name), or use the other owner's table instead of declaring them again; ${definition.fullName} is not loaded until then`;
}

function problemAt(definition: ElementDefinition, files: SourceFiles | undefined, code: 'ERROR_CODE_DUPLICATE' | 'ERROR_CODES_INVALID', reason: string): Diagnostic {
  const pointer = '/backendBundleEntry';
  return Object.freeze({
    code,
    severity: 'error',
    file: definition.eJsonFile,
    pointer,
    ...(files ? files.position(definition.eJsonFile, pointer) : { line: 1, col: 1 }),
    message: reason,
    fullName: definition.fullName,
  } satisfies Diagnostic);
}
