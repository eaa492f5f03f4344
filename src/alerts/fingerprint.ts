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

/** Hashes of recent label sets: a storm repeats the same few hundred, and each webhook asks for two. */
const recent = new Map<string, string>();
const RECENT_MAX = 10_000;

/** sha256 of the JSON encoding: unambiguous even when keys or values contain separators. */
export function stableHash(value: unknown): string {
  const json = JSON.stringify(value);
  let digest = recent.get(json);
  if (digest === undefined) {
    digest = hash('sha256', json, 'hex');
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(json, digest);
  }
  return digest;
}
