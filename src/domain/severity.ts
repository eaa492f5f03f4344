import { z } from 'zod';

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export type SeverityLabels = Record<Severity, string>;

export const DEFAULT_SEVERITY_LABELS: SeverityLabels = {
  SEV1: 'Critical',
  SEV2: 'Major',
  SEV3: 'Minor',
  SEV4: 'Low',
};

/** Accepts what people type: `1`, `sev1`, `SEV-1`, `sev 2`, `p3`. */
export function parseSeverity(input: string): Severity | undefined {
  const m = /^\s*(?:sev|p)?[\s-]*([1-4])\s*$/i.exec(input);
  return m ? (`SEV${m[1]}` as Severity) : undefined;
}

/** Lower rank is worse: SEV1 = 1. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s) + 1;
}

export function worstSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

export function describeSeverity(s: Severity, labels: SeverityLabels = DEFAULT_SEVERITY_LABELS): string {
  return `${s} (${labels[s]})`;
}
