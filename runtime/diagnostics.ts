import * as path from 'path';

/**
 * Diagnostics: every problem the loader finds is data, never a thrown error. Each one names the
 * file, a JSON pointer into it, the line and column, and says how to fix it.
 */
export const DIAGNOSTIC_CODES = {
  JSON_SYNTAX: 'The file is not valid JSON',
  APP_JSON_MISSING: 'The app folder has no app.json',
  APP_JSON_INVALID: 'app.json does not match its schema',
  APP_EXTENDS_MISSING: 'An app listed in "extends" cannot be found',
  APP_EXTENDS_CYCLE: 'Apps extend each other in a cycle',
  E_JSON_INVALID: 'e.json does not match its schema',
  TYPE_MISSING: 'The element\'s type does not exist',
  TYPE_CYCLE: 'The type chain loops back on itself',
  TYPE_IS_INSTANCE: 'An element\'s type points at an Instance',
  INSTANCE_OF_META: 'An Instance must point at a Type, not directly at a Meta',
  OVERRIDE_FORBIDDEN: 'A protected or private element cannot be overridden',
  ACCESS_DENIED: 'A private element of a parent app cannot be used here',
  CONFIG_MISSING: 'The instance has no business config file',
  CONFIG_INVALID: 'The business config does not match its Type\'s schema',
  CONFIG_KEY_FORBIDDEN: 'A business config key (__proto__, constructor, prototype) that would change an object\'s prototype',
  ENV_MISSING: 'A {{NAME}} reference names an environment variable that is not set',
  BUNDLE_MISSING: 'backendBundleEntry names a module that does not exist',
  BUNDLE_INVALID: 'backendBundleEntry does not export a class',
  CONFIG_NOT_UNIQUE: 'Two active instances of a Type share a value the Type declares unique (e.g. corpId)',
  DEFINITION_INVALID: 'The element cannot be loaded; see the related diagnostics',
  FULLNAME_INVALID: 'A folder name is not a valid fullName segment',
  SECRET_LITERAL: 'A secret is written literally in a config file instead of as a {{NAME}} reference (warning)',
  REFERENCE_MISSING: 'A config field that names another element names none',
  REFERENCE_WRONG_TYPE: 'A config field names an element that is not an Instance of the Type the field requires',
  ERROR_CODE_DUPLICATE: 'A Type\'s module declares an error code (or another code) that another owner declares differently',
  ERROR_CODES_INVALID: 'A Type\'s module exports `errorCodes` that are not tables made with defineErrorCodes / defineCodeVocabulary',
  CONFIG_DEPRECATED: 'A config key still works but belongs elsewhere now; the message says where (warning)',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = 'error' | 'warning';

/** Another place a diagnostic involves (the parent's file of a forbidden override, the other duplicate). */
export interface RelatedLocation {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Absolute path of the file the problem is in. */
  file: string;
  /** JSON pointer into that file ('' for the whole document). */
  pointer: string;
  /** 1-based line and column; 1:1 when no better position is known. */
  line: number;
  col: number;
  /** What is wrong and how to fix it. Never contains a secret value. */
  message: string;
  /** The element the problem belongs to, when there is one. */
  fullName?: string;
  /** Other files the problem involves; the message names them too. */
  related?: RelatedLocation[];
}

/** Collects diagnostics for one loader run (Backstage's error-collector idea). */
export class DiagnosticCollector {
  private readonly items: Diagnostic[] = [];

  report(diagnostic: Omit<Diagnostic, 'severity'> & { severity?: Severity }): Diagnostic {
    const full: Diagnostic = { severity: 'error', ...diagnostic };
    this.items.push(full);
    return full;
  }

  get all(): readonly Diagnostic[] {
    return this.items;
  }

  forElement(fullName: string): Diagnostic[] {
    return this.items.filter((d) => d.fullName === fullName);
  }
}

/** `file:line:col CODE message`, the format `jit validate` prints, with the file relative to `base`. */
export function formatDiagnostic(d: Diagnostic, base?: string): string {
  const file = base ? path.relative(base, d.file) || d.file : d.file;
  return `${file}:${d.line}:${d.col} ${d.code} ${d.message}`;
}
