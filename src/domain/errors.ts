/**
 * Errors a person can act on. Every failure the chat layer or an HTTP route may show carries a code
 * (so callers can tell them apart) and a sentence written for whoever is reading it at 3 a.m.
 */
export const ERROR_CODES = {
  invalid_input: 400,
  not_incident_room: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class SitrepError extends Error {
  override readonly name = 'SitrepError';

  constructor(
    readonly code: ErrorCode,
    /** What the user should read: plain words, what happened and what to do. */
    readonly userMessage: string,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(userMessage, options);
    this.retryAfterS = options?.retryAfterS;
  }

  /** For 429 and 503: when the sender may try again (seconds). */
  readonly retryAfterS: number | undefined;

  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
}

export function isSitrepError(err: unknown): err is SitrepError {
  return err instanceof SitrepError;
}

/** The message a user sees for any failure: ours verbatim, anything else generic (details go to the log). */
export function userMessageOf(err: unknown): string {
  if (isSitrepError(err)) return err.userMessage;
  return 'Something went wrong on our side; it has been logged. Please try again in a moment.';
}
