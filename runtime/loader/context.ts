/**
 * What every loader stage shares for one run: the parsed files, the environment for {{NAME}}
 * references, and the diagnostics collected so far. Stages report problems here and carry on.
 */
import * as path from 'path';
import { DiagnosticCollector, type Diagnostic, type DiagnosticCode, type Severity } from '../diagnostics';
import type { SecretRegistry } from '../secrets';
import type { ReadResult, SourceFiles } from './parse';

export type Env = Readonly<Record<string, string | undefined>>;

/** A place in a JSON file: the pointer's value (or key) position becomes the diagnostic's line:col. */
export interface Place {
  file: string;
  pointer?: string;
  part?: 'key' | 'value';
}

/** Whoever a diagnostic makes invalid: an element draft, or nothing for app-level problems. */
export interface DiagnosticOwner {
  fullName: string;
  diagnostics: Diagnostic[];
}

export interface ReportOptions {
  severity?: Severity;
  /** Other files involved (both sides of a duplicate, the parent of a forbidden override). */
  related?: Place[];
}

export class LoadContext {
  readonly diagnostics = new DiagnosticCollector();

  constructor(
    readonly appDir: string,
    readonly files: SourceFiles,
    readonly env: Env,
    /** Where the config values resolved as secrets are registered (the app's registry). */
    readonly secrets: SecretRegistry,
  ) {}

  report(code: DiagnosticCode, place: Place, message: string, owner?: DiagnosticOwner, options: ReportOptions = {}): Diagnostic {
    const pointer = place.pointer ?? '';
    const related = options.related?.map((p) => ({ file: p.file, ...this.files.position(p.file, p.pointer ?? '', p.part) }));
    const diagnostic = this.diagnostics.report({
      code,
      severity: options.severity ?? 'error',
      file: place.file,
      pointer,
      ...this.files.position(place.file, pointer, place.part),
      message,
      ...(owner ? { fullName: owner.fullName } : {}),
      ...(related?.length ? { related } : {}),
    });
    owner?.diagnostics.push(diagnostic);
    return diagnostic;
  }

  /** Reads a JSON file; a syntax error is reported (JSON_SYNTAX) against `owner` and returned as such. */
  readJson(file: string, owner?: DiagnosticOwner): ReadResult {
    const result = this.files.read(file);
    if (result.status === 'syntax') {
      const diagnostic = this.diagnostics.report({
        code: 'JSON_SYNTAX',
        file,
        pointer: '',
        ...result.position,
        message: `${result.message}: fix the JSON syntax here (a trailing comma, a missing comma or an unquoted key is the usual cause)`,
        ...(owner ? { fullName: owner.fullName } : {}),
      });
      owner?.diagnostics.push(diagnostic);
    }
    return result;
  }

  /** A path for messages: relative to the app folder when inside it, else absolute. */
  displayPath(file: string): string {
    const relative = path.relative(this.appDir, file);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  }
}
