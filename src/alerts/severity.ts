import { Severity, severityRank } from '../domain/severity.js';

// One definition of severity for all of sitrep: the alert rules compare the same SEV1–SEV4 as incidents.
export { Severity, severityRank };

export function isSeverity(value: string): value is Severity {
  return (Severity.options as readonly string[]).includes(value);
}
