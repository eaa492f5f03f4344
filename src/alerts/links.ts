import type { LabelSet } from './alert.js';

const RUNBOOK_KEYS = ['runbook_url', 'runbookUrl', 'runbook', 'runbook_link', 'playbook'] as const;
const DASHBOARD_KEYS = ['dashboard_url', 'dashboardUrl', 'dashboard', 'grafana_url'] as const;

export function runbookUrlFrom(annotations: LabelSet): string | undefined {
  return firstHttpUrl(RUNBOOK_KEYS.map((k) => annotations[k]));
}

/** An explicit dashboard annotation beats what the source generated, which is often a raw query page. */
export function dashboardUrlFrom(annotations: LabelSet, ...generated: (string | undefined)[]): string | undefined {
  return firstHttpUrl([...DASHBOARD_KEYS.map((k) => annotations[k]), ...generated]);
}

/**
 * The first candidate that is an absolute http(s) URL. Anything else (empty strings, relative
 * paths, `javascript:`) is dropped: these links end up as buttons in chat.
 */
export function firstHttpUrl(candidates: readonly (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    const value = candidate?.trim();
    if (!value) continue;
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value;
    } catch {
      // not a URL: try the next candidate
    }
  }
  return undefined;
}
