/**
 * `$schema` values the scaffolding commands write: the path from the new file's folder to the
 * package's schema file, with forward slashes, so editors find the schema and validate as you type.
 */
import * as path from 'path';

export function schemaReference(fromDir: string, schemaFile: string): string {
  return path.relative(fromDir, schemaFile).split(path.sep).join('/');
}
