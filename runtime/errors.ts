/**
 * JitError: the one error class the runtime and its elements throw across their public surface.
 * `code` is stable and documented; `message` is for people; `details` is safe, secret-free context.
 *
 * Codes belong to an owner. The runtime owns the core codes below (configuration, elements, the
 * host); the runtime's auth owns what every login Type shares (runtime/auth/login-error-codes.ts);
 * an element family declares its own with `defineErrorCodes(owner, table)` in its own folder and
 * exports the table from its Type's module (`export const errorCodes = [...]`), and each loaded app
 * puts them in one sealed registry (runtime/error-registry.ts: `app.errorCodes.lookup(code)`).
 * A JitError carries its status and owner from its declaration, so `err.status` needs no lookup.
 *
 * Besides error codes, an owner may register the other codes a person can see (a page's own failure
 * codes, the typed `details.reason` of a client) as vocabularies of another kind, so every code
 * shown anywhere can be looked up.
 */
/** What a code is: a JitError's code, a page's own failure, a typed `details.reason`, a sync failure's code. */
export type CodeKind = 'error' | 'page' | 'reason' | 'sync-failure';

/**
 * A code's words for people, by page language (the languages of runtime/settings.ts `Language`;
 * `{org}` becomes the app's title); English at least.
 */
export type CodeWords = { readonly en: string; readonly 'zh-CN'?: string };

/** One code as its owner declares it. */
export interface CodeDeclaration {
  readonly code: string;
  /** Who declares it: `runtime`, `runtime/auth`, an element family (`corps`, `acme/sso`). */
  readonly owner: string;
  readonly kind: CodeKind;
  /** The HTTP status a host answers with (errors only). */
  readonly status?: number;
  /** What it means, for developers and operators; a JitError's default message. */
  readonly summary: string;
  /** What a page says to a person, when it can be shown to one. */
  readonly words?: CodeWords;
}

/** The declaration of an error code: it always has a status. */
export interface ErrorCodeDeclaration extends CodeDeclaration {
  readonly kind: 'error';
  readonly status: number;
}

/** A registered code: its declaration and the element whose module declared it (`runtime` for the runtime's). */
export interface RegisteredCode extends CodeDeclaration {
  readonly declaredBy: string;
}

/** What an app's sealed registry answers (runtime/error-registry.ts builds it): `app.errorCodes`. */
export interface ErrorCodeLookup {
  readonly sealed: boolean;
  /** Who owns a code, what it means and (errors) its HTTP status; undefined for a code no one declares. Errors first without `kind`. */
  lookup(code: string, kind?: CodeKind): RegisteredCode | undefined;
  has(code: string, kind?: CodeKind): boolean;
  all(kind?: CodeKind): RegisteredCode[];
  /** A JitError of a registered error code by name (INTERNAL_ERROR naming it when none is registered). */
  error(code: string, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }): JitError;
  /** The words for people of every code that has them, in a page language (English where it has none). */
  wordsFor(language: keyof CodeWords): Record<string, string>;
}

/** What an owner writes for each error code. */
export interface ErrorCodeSpec {
  status: number;
  summary: string;
  words?: CodeWords;
}

/** What an owner writes for each code of another kind: its summary, or summary and words. */
export type VocabularySpec = string | { summary: string; words?: CodeWords };

/** A frozen table of one owner's codes of one kind. */
export interface CodeTable<C extends string = string> {
  readonly owner: string;
  readonly kind: CodeKind;
  readonly codes: readonly C[];
  /** Every declaration, in table order. */
  readonly declarations: readonly CodeDeclaration[];
  has(code: string): code is C;
  declaration(code: C): CodeDeclaration;
}

/** A table of error codes: also makes the JitErrors of its codes. */
export interface ErrorCodeTable<C extends string = string> extends CodeTable<C> {
  readonly kind: 'error';
  readonly declarations: readonly ErrorCodeDeclaration[];
  declaration(code: C): ErrorCodeDeclaration;
  /** A JitError with this table's code, status and owner. */
  error(code: C, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }): JitError<C>;
}

/** The codes of a table, as a string-literal union: `CodeOf<typeof ACME_ERRORS>`. */
export type CodeOf<T> = T extends CodeTable<infer C> ? C : never;

/**
 * Every error code any table declared in this process, first declaration first: only for a
 * JavaScript caller that writes `new JitError('SOME_ELEMENT_CODE')` by name (as before codes had
 * owners), so its error keeps its status. Code with a table uses the table; the app's registry is
 * the authority on who owns what.
 */
const declaredByName = new Map<string, ErrorCodeDeclaration>();

const OWNER_PATTERN = /^[a-z][\w./-]*$/i;
const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/** The declarations of a table, checked and frozen. Bad input is the table author's bug: it throws. */
function declare<C extends string>(owner: string, kind: CodeKind, entries: Array<[C, Omit<CodeDeclaration, 'code' | 'owner' | 'kind'>]>): CodeDeclaration[] {
  if (!OWNER_PATTERN.test(owner)) throw new TypeError(`error code owner ${JSON.stringify(owner)} must be a name like "corps" or "acme/sso"`);
  return entries.map(([code, spec]) => {
    if (!CODE_PATTERN.test(code)) throw new TypeError(`code ${JSON.stringify(code)} of ${owner} must be UPPER_SNAKE_CASE`);
    if (kind === 'error' && !(Number.isInteger(spec.status) && spec.status! >= 400 && spec.status! <= 599)) {
      throw new TypeError(`error code ${code} of ${owner} needs an HTTP status from 400 to 599`);
    }
    if (typeof spec.summary !== 'string' || !spec.summary) throw new TypeError(`code ${code} of ${owner} needs a summary`);
    if (spec.words !== undefined && typeof spec.words?.en !== 'string') throw new TypeError(`the words of code ${code} of ${owner} need at least "en"`);
    const declaration: CodeDeclaration = {
      code,
      owner,
      kind,
      ...(spec.status !== undefined ? { status: spec.status } : {}),
      summary: spec.summary,
      ...(spec.words ? { words: Object.freeze({ ...spec.words }) } : {}),
    };
    return Object.freeze(declaration);
  });
}

function tableOf<C extends string>(owner: string, kind: CodeKind, declarations: CodeDeclaration[]): CodeTable<C> {
  const byCode = new Map(declarations.map((d) => [d.code, d]));
  return {
    owner,
    kind,
    codes: Object.freeze(declarations.map((d) => d.code as C)),
    declarations: Object.freeze(declarations),
    has: (code: string): code is C => byCode.has(code),
    declaration(code: C): CodeDeclaration {
      const found = byCode.get(code);
      if (!found) throw new TypeError(`${owner} declares no ${kind} code ${String(code)}`);
      return found;
    },
  };
}

/**
 * An owner's error codes: a frozen, typed table whose `error(code, ...)` makes JitErrors carrying
 * the code, its status and the owner. Export it from the Type's module (`errorCodes`) so the app's
 * registry knows it.
 *
 *   export const ACME_ERRORS = defineErrorCodes('acme/sso', {
 *     SSO_TICKET_EXPIRED: { status: 401, summary: 'The SSO ticket expired', words: { en: 'Sign in again.' } },
 *   });
 *   throw ACME_ERRORS.error('SSO_TICKET_EXPIRED', 'The ticket from the SSO server expired');
 */
export function defineErrorCodes<C extends string>(owner: string, table: Readonly<Record<C, ErrorCodeSpec>>): ErrorCodeTable<C> {
  const declarations = declare(owner, 'error', Object.entries(table) as Array<[C, ErrorCodeSpec]>) as ErrorCodeDeclaration[];
  for (const declaration of declarations) if (!declaredByName.has(declaration.code)) declaredByName.set(declaration.code, declaration);
  const base = tableOf<C>(owner, 'error', declarations);
  return Object.freeze({
    ...base,
    kind: 'error' as const,
    declarations: base.declarations as readonly ErrorCodeDeclaration[],
    declaration: (code: C) => base.declaration(code) as ErrorCodeDeclaration,
    error: (code: C, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }) =>
      new JitError<C>(base.declaration(code) as ErrorCodeDeclaration & { code: C }, message, details, options),
  });
}

/** An owner's codes of another kind (page failures, typed reasons, sync failures): looked up, never thrown. */
export function defineCodeVocabulary<C extends string>(owner: string, kind: Exclude<CodeKind, 'error'>, table: Readonly<Record<C, VocabularySpec>>): CodeTable<C> {
  const entries = (Object.entries(table) as Array<[C, VocabularySpec]>).map(([code, spec]): [C, { summary: string; words?: CodeWords }] => [
    code,
    typeof spec === 'string' ? { summary: spec } : spec,
  ]);
  return Object.freeze(tableOf<C>(owner, kind, declare(owner, kind, entries)));
}

/** The runtime's own codes: configuration, elements, the host. Every app's registry starts with them. */
export const CORE_ERRORS = defineErrorCodes('runtime', {
  // configuration and elements
  CONFIG_INVALID: { status: 500, summary: 'The element or app configuration is invalid' },
  ELEMENT_NOT_FOUND: { status: 404, summary: 'No element with that fullName' },
  ELEMENT_INVALID: { status: 500, summary: 'The element failed to load; see its diagnostics' },
  // host
  BAD_REQUEST: { status: 400, summary: 'The request is malformed' },
  NOT_FOUND: { status: 404, summary: 'No such route or function' },
  LOGIN_REQUIRED: { status: 401, summary: 'Log in first' },
  ADMIN_REQUIRED: { status: 403, summary: 'Only the app\'s administrators may do this' },
  FILE_CHANGED: { status: 409, summary: 'The file changed on disk since it was read; nothing was overwritten' },
  EDIT_REFUSED: { status: 409, summary: 'This host cannot write element files (not watching, or the folder is read-only)' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'The request body is too large' },
  HEADERS_TOO_LARGE: { status: 431, summary: 'The request address or headers (cookies) are too large' },
  REQUEST_TIMEOUT: { status: 408, summary: 'The request was not received in time' },
  RATE_LIMITED: { status: 429, summary: 'Too many attempts; wait and try again' },
  CSRF_REJECTED: { status: 403, summary: 'A state-changing request from another site (or without its CSRF token) was refused' },
  INTERNAL_ERROR: { status: 500, summary: 'Something went wrong on the server' },
});

/**
 * The login and console pages' own failure code (their scripts' words, not a JitError): the server
 * could not be reached. Element pages register theirs the same way.
 */
export const CORE_PAGE_CODES = defineCodeVocabulary('runtime', 'page', {
  NETWORK: 'A page could not reach the server (its script shows this; no request was answered)',
});

/** A core code (what `new JitError(code)` takes). */
export type ErrorCode = CodeOf<typeof CORE_ERRORS>;

/** The core codes, by code (status and summary). Element codes are in the app's registry instead. */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeDeclaration>> = Object.freeze(
  Object.fromEntries(CORE_ERRORS.declarations.map((d) => [d.code, d])) as Record<ErrorCode, ErrorCodeDeclaration>,
);

export class JitError<C extends string = string> extends Error {
  override readonly name = 'JitError';
  readonly code: C;
  /** The HTTP status a host should answer with for this error (from its code's declaration). */
  readonly status: number;
  /** Who declares the code (`runtime`, `runtime/auth`, an element family): `app.errorCodes.lookup(code)` says the same. */
  readonly owner: string;
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * `code` is a core code (`new JitError('BAD_REQUEST', ...)`) or a declaration of an element's
   * table; an element writes `TABLE.error(code, ...)` instead.
   */
  constructor(code: (C & ErrorCode) | (ErrorCodeDeclaration & { code: C }), message?: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    const declaration: ErrorCodeDeclaration | undefined = typeof code === 'string' ? (ERROR_CODES[code] ?? declaredByName.get(code)) : code;
    // A code no table declares (a JavaScript caller's typo, or a cast) still makes a well-formed 500.
    const known = declaration ?? ERROR_CODES.INTERNAL_ERROR;
    super(message ?? known.summary, options);
    this.code = (typeof code === 'string' ? code : code.code) as C;
    this.status = known.status;
    this.owner = known.owner;
    this.details = Object.freeze({ ...details });
  }

  toJSON(): { code: C; message: string; details?: Record<string, unknown> } {
    const hasDetails = Object.keys(this.details).length > 0;
    return hasDetails ? { code: this.code, message: this.message, details: { ...this.details } } : { code: this.code, message: this.message };
  }
}

export function isJitError(value: unknown, code?: string): value is JitError {
  return value instanceof JitError && (code === undefined || value.code === code);
}
