import { z } from 'zod';
import type { LabelSet } from './alert.js';
import { MatcherList, matchesAll } from './matchers.js';
import { Severity } from './severity.js';

/** `{ match: ['severity=~"(?i)critical|page"'], severity: SEV1 }`: the first rule whose matchers all hold wins. */
export const SeverityRule = z
  .strictObject({ match: MatcherList, severity: Severity })
  .superRefine((rule, ctx) => {
    // Severity rules decide the severity, so they read the raw `severity` label, never a SEVn threshold.
    if (rule.match.some((m) => m.op === '<' || m.op === '<=' || m.op === '>' || m.op === '>=')) {
      ctx.addIssue({
        code: 'custom',
        path: ['match'],
        message: 'cannot use <, <=, > or >= (severity rules decide the severity; use thresholds in routes)',
      });
    }
  });
export type SeverityRule = z.infer<typeof SeverityRule>;

export interface SeverityConfig {
  /** Tried in order before the built-in defaults. */
  severity: readonly SeverityRule[];
  /** When no rule matches. */
  defaultSeverity: Severity;
}

/** Common `severity` label words and Datadog/Opsgenie-style priorities P1–P5. */
export const DEFAULT_SEVERITY_RULES: readonly SeverityRule[] = z.array(SeverityRule).parse([
  { match: ['severity=~"(?i)critical|crit|page|p1|sev1|fatal|emergency"'], severity: 'SEV1' },
  { match: ['severity=~"(?i)high|error|err|major|p2|sev2"'], severity: 'SEV2' },
  { match: ['severity=~"(?i)warning|warn|medium|moderate|minor|p3|sev3"'], severity: 'SEV3' },
  { match: ['severity=~"(?i)info|informational|low|none|p4|p5|sev4"'], severity: 'SEV4' },
  { match: ['priority=~"(?i)p1"'], severity: 'SEV1' },
  { match: ['priority=~"(?i)p2"'], severity: 'SEV2' },
  { match: ['priority=~"(?i)p3"'], severity: 'SEV3' },
  { match: ['priority=~"(?i)p4|p5"'], severity: 'SEV4' },
]);

export const DEFAULT_SEVERITY: Severity = 'SEV3';

export const DEFAULT_SEVERITY_CONFIG: SeverityConfig = { severity: [], defaultSeverity: DEFAULT_SEVERITY };

/** The severity for an alert's labels: your rules, then the defaults, then `defaultSeverity`. */
export function severityFor(labels: LabelSet, config: SeverityConfig = DEFAULT_SEVERITY_CONFIG): Severity {
  const lookup = (name: string): string => labels[name] ?? '';
  for (const rule of [...config.severity, ...DEFAULT_SEVERITY_RULES]) {
    if (matchesAll(rule.match, lookup)) return rule.severity;
  }
  return config.defaultSeverity;
}
