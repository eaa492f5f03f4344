import type { NormalizedAlert } from './alert.js';
import { sortedEntries, stableHash } from './fingerprint.js';

/** `group_by: ['...']` in Alertmanager: every label, whatever its name. */
export const GROUP_BY_ALL = '...';

export interface GroupKeyOptions {
  /**
   * The service triage found where the failure starts (needs a trace id). When set, alerts are grouped
   * by it alone: a database fault that fires checkout and payments alerts opens one incident.
   */
  origin?: string;
}

/**
 * Which alerts belong together, like Alertmanager's `group_by`: labels by name, plus `service`, `source`
 * and `alertname` (the label, or the title for sources without one). An empty list puts everything in
 * one group. Returns 32 hex chars, safe in a Redis key.
 */
export function groupKey(alert: NormalizedAlert, groupBy: readonly string[], options: GroupKeyOptions = {}): string {
  if (options.origin) return stableHash([['origin', options.origin]]).slice(0, 32);
  if (groupBy.includes(GROUP_BY_ALL)) return stableHash([['...', sortedEntries(alert.labels)]]).slice(0, 32);
  const fields = [...new Set(groupBy)].sort().map((name) => [name, groupField(alert, name)]);
  return stableHash(fields).slice(0, 32);
}

function groupField(alert: NormalizedAlert, name: string): string {
  if (name === 'service') return alert.service ?? '';
  if (name === 'source') return alert.source;
  if (name === 'alertname') return alert.labels.alertname ?? alert.title;
  return alert.labels[name] ?? '';
}
