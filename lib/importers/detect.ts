import { describeColumns, ImportError, siteName } from './errors';
import type { Kind } from './kind';
import { KINDS } from './kinds';
import { Header } from './row';
import type { ImportFormat } from './types';

/**
 * A path as detection sees it: forward slashes, lower case, and a browser's duplicate suffix removed
 * ("diary (1).csv" is still the diary).
 */
export function detectionPath(path: string | undefined): string {
  return (path ?? '')
    .replace(/\\/g, '/')
    .toLowerCase()
    .replace(/\s*\(\d+\)(\.csv)$/, '$1');
}

/**
 * The kind of a CSV from its name (when the name is known and the header agrees), else from its first
 * record. `undefined` when nothing fits. Files known to hold nothing to import (profile.csv) are
 * recognised by name alone.
 */
export function detectKind(path: string | undefined, first: readonly string[], format: ImportFormat): Kind | undefined {
  const header = new Header(first);
  const allowed = KINDS.filter((k) => format === 'auto' || k.format === format);
  const name = detectionPath(path);
  const byName = name ? allowed.find((k) => k.names.some((n) => n.test(name)) && (k.role === 'ignore' || k.matches(header))) : undefined;
  return byName ?? allowed.find((k) => k.matches(header));
}

/** The error for a CSV whose header matches no kind of the requested format. */
export function unknownCsv(first: readonly string[], format: ImportFormat): ImportError {
  const site = siteName(format);
  return new ImportError(`this CSV is not ${/^[AEIOU]/.test(site) ? 'an' : 'a'} ${site} export (its columns are: ${describeColumns(first)})`);
}
