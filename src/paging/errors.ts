import { SitrepError, type ErrorCode } from '../domain/errors.js';

// One error type for the paging core, told apart by code so the HTTP layer and chat replies can map each
// to a status and a message in one place. Every message says what to do next.
export type PagingErrorCode =
  | 'ONCALL_CONFIG_NOT_FOUND'
  | 'ONCALL_CONFIG_INVALID'
  | 'UNKNOWN_TEAM'
  | 'UNKNOWN_POLICY'
  | 'UNKNOWN_LEVEL'
  | 'PAGERDUTY_NOT_CONFIGURED'
  | 'PAGERDUTY_REJECTED'
  | 'PAGERDUTY_UNAVAILABLE'
  | 'WEBHOOK_UNSIGNED'
  | 'WEBHOOK_FORGED'
  | 'WEBHOOK_MALFORMED';

export class PagingError extends Error {
  override readonly name = 'PagingError';

  constructor(
    readonly code: PagingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where in oncall.yaml something is wrong; `line` is 1-based and missing only if the YAML gave no position. */
export type ConfigIssue = { file: string; line?: number; path: string; message: string };

export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** oncall.yaml is missing or invalid. `message` lists every problem as `file:line: path: reason`. */
export class OncallConfigError extends PagingError {
  constructor(
    code: 'ONCALL_CONFIG_NOT_FOUND' | 'ONCALL_CONFIG_INVALID',
    readonly issues: ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(code, issues.map(formatConfigIssue).join('\n'), options);
  }
}

/**
 * The same problem as a SitrepError, so chat replies and HTTP statuses come from the one mapping in
 * src/domain/errors.ts: forged webhooks are 401, an unknown team is the user's to fix, PagerDuty trouble is 503.
 */
export function asSitrepError(err: PagingError): SitrepError {
  const code: ErrorCode = (
    {
      ONCALL_CONFIG_NOT_FOUND: 'invalid_input',
      ONCALL_CONFIG_INVALID: 'invalid_input',
      UNKNOWN_TEAM: 'invalid_input',
      UNKNOWN_POLICY: 'invalid_input',
      UNKNOWN_LEVEL: 'invalid_input',
      PAGERDUTY_NOT_CONFIGURED: 'unavailable',
      PAGERDUTY_REJECTED: 'unavailable',
      PAGERDUTY_UNAVAILABLE: 'unavailable',
      WEBHOOK_UNSIGNED: 'unauthenticated',
      WEBHOOK_FORGED: 'unauthenticated',
      WEBHOOK_MALFORMED: 'invalid_input',
    } as const satisfies Record<PagingErrorCode, ErrorCode>
  )[err.code];
  return new SitrepError(code, err.message, { cause: err });
}
