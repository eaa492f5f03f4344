import { z } from 'zod';

// Local until the domain schema lands; the lead will point this at src/domain.
export const Severity = z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
export type Severity = z.infer<typeof Severity>;

/** 1 for SEV1 (worst) … 4 for SEV4, so "at least as bad as SEV2" is `rank <= 2`. */
export function severityRank(severity: Severity): number {
  return Severity.options.indexOf(severity) + 1;
}

export function isSeverity(value: string): value is Severity {
  return (Severity.options as readonly string[]).includes(value);
}
