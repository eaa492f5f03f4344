import { DEFAULT_SEVERITY_CONFIG, type SeverityConfig } from '../severity-rules.js';

export interface NormalizeOptions {
  /** Severity rules from the rules file; the built-in defaults when omitted. */
  rules?: SeverityConfig;
  /** Clock for alerts that carry no start time. */
  now?: () => Date;
}

export function resolveOptions(options: NormalizeOptions): Required<NormalizeOptions> {
  return { rules: options.rules ?? DEFAULT_SEVERITY_CONFIG, now: options.now ?? (() => new Date()) };
}
