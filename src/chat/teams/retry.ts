import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Retries what botbuilder's own HTTP pipeline gives up on. The connector client (core-rest-pipeline's
 * defaultRetryPolicy, 3 retries) already retries 429/503 that carry Retry-After, and 408/5xx except
 * 501/505 with exponential backoff. It does not retry 412 (Teams' "precondition failed" under load)
 * nor a 429 without Retry-After. Wrapping 502/504 here too would multiply the pipeline's own retries,
 * so they are off by default. Only wrap idempotent work or sends whose failure means "not delivered".
 * Wrap the single send (`context.sendActivity`, `updateActivity`), not a whole turn: the adapter's
 * onTurnError catches whatever a turn throws, so a wrapper around the turn never sees the error.
 */

export interface TeamsRetryOptions {
  /** Attempts in total, the first included. */
  attempts?: number;
  /** Backoff base when the service names no delay: base, 2×base, 4×base… plus up to 50% jitter. */
  baseDelayMs?: number;
  /** Never wait longer than this, whatever Retry-After says. */
  maxDelayMs?: number;
  retryOn?: readonly number[];
  /** Called before each wait, for logging. */
  onRetry?: (info: { attempt: number; status: number; delayMs: number }) => void;
}

export const DEFAULT_RETRY_STATUSES: readonly number[] = [412, 429];

export async function withTeamsRetry<T>(fn: () => Promise<T>, options: TeamsRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const retryOn = options.retryOn ?? DEFAULT_RETRY_STATUSES;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || !retryOn.includes(status) || attempt >= attempts) throw error;
      const backoff = baseDelayMs * 2 ** (attempt - 1) * (1 + Math.random() / 2);
      const delayMs = Math.min(retryAfterMs(error) ?? backoff, maxDelayMs);
      options.onRetry?.({ attempt, status, delayMs });
      await sleep(delayMs);
    }
  }
}

interface HttpLikeError {
  statusCode?: unknown;
  response?: { status?: unknown; headers?: { get?: (name: string) => string | undefined } | Record<string, unknown> };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, response } = error as HttpLikeError;
  if (typeof statusCode === 'number') return statusCode;
  return typeof response?.status === 'number' ? response.status : undefined;
}

/** Retry-After in seconds or as an HTTP date, from core-rest-pipeline's RestError. */
export function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as HttpLikeError | null)?.response?.headers;
  if (!headers) return undefined;
  const raw = typeof headers.get === 'function' ? headers.get('retry-after') : (headers as Record<string, unknown>)['retry-after'];
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
