import { hash } from 'node:crypto';
import type { LabelSet } from './alert.js';

/**
 * A stable id for a label set, for sources that send none: the same labels in any key order give
 * the same 16 hex chars (the length Alertmanager uses), so repeats and resolves find their alert.
 */
export function labelFingerprint(labels: LabelSet): string {
  return stableHash(sortedEntries(labels)).slice(0, 16);
}

export function sortedEntries(labels: LabelSet): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** sha256 of the JSON encoding: unambiguous even when keys or values contain separators. */
export function stableHash(value: unknown): string {
  return hash('sha256', JSON.stringify(value), 'hex');
}
