import type { ServerResponse } from 'node:http';
import { isSitrepError, type SitrepError } from '../domain/errors.js';
import { isRedisUnavailable } from '../store/redis.js';

/** Seconds a sender is asked to wait before retrying after a 503 or 429 (Alertmanager, Slack and curl honour it). */
export const RETRY_AFTER_S = 5;

export interface FailureAnswer {
  status: number;
  error: string;
  headers: Record<string, string>;
  /** Expected (a refusal a person can act on, an outage) rather than a bug to look at. */
  expected: boolean;
  code?: SitrepError['code'];
}

const REDIS_DOWN = 'sitrep cannot reach its Redis right now; nothing was recorded. Retry in a few seconds.';

/**
 * The one place a failure becomes an HTTP answer: our coded errors by their status, Redis being
 * unreachable (outage, failover, replicas short) as 503 with Retry-After, anything else as 500.
 */
export function failureAnswer(err: unknown): FailureAnswer {
  if (isSitrepError(err)) {
    const retry = err.httpStatus === 503 || err.httpStatus === 429;
    return { status: err.httpStatus, error: err.userMessage, headers: retry ? { 'retry-after': String(err.retryAfterS ?? RETRY_AFTER_S) } : {}, expected: true, code: err.code };
  }
  if (isRedisUnavailable(err)) return { status: 503, error: REDIS_DOWN, headers: { 'retry-after': String(RETRY_AFTER_S) }, expected: true, code: 'unavailable' };
  return { status: 500, error: 'internal error; it has been logged', headers: {}, expected: false };
}

/** Answers `err` on `res` (unless an answer already started). */
export function sendFailure(res: ServerResponse, err: unknown): FailureAnswer {
  const answer = failureAnswer(err);
  if (!res.headersSent) {
    const text = JSON.stringify({ ok: false, error: answer.error });
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...answer.headers });
    res.end(text);
  }
  return answer;
}
