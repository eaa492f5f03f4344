import { setTimeout as sleep } from 'node:timers/promises';
import { formatMillis } from '../duration.js';

// GET with a per-attempt timeout, retries with jittered exponential backoff, and outcomes instead
// of exceptions. Timeouts are not retried: a backend that is slow now will be slow in 100 ms too,
// and the person waiting in chat should hear "unavailable" after one timeout, not three.

export type Auth = { bearer: string } | { basic: { username: string; password: string } };

export interface HttpGetOptions {
  timeoutMs: number;
  retries: number;
  headers?: Record<string, string>;
  auth?: Auth;
  signal?: AbortSignal;
  /** First backoff delay; doubled per attempt, with ±50% jitter. */
  backoffMs?: number;
}

export type HttpOutcome =
  | { status: 'ok'; body: string }
  | { status: 'not_found'; reason: string }
  | { status: 'unavailable'; reason: string };

export function authHeaders(auth: Auth | undefined): Record<string, string> {
  if (!auth) return {};
  if ('bearer' in auth) return { authorization: `Bearer ${auth.bearer}` };
  const token = Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64');
  return { authorization: `Basic ${token}` };
}

function networkReason(err: unknown, url: string): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  const host = new URL(url).host;
  if (code === 'ECONNREFUSED') return `connection refused by ${host}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve ${host}`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection to ${host} reset`;
  return `cannot reach ${host} (${cause?.message ?? (err instanceof Error ? err.message : String(err))})`;
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpOutcome> {
  const headers = { accept: 'application/json', ...options.headers, ...authHeaders(options.auth) };
  const backoff = options.backoffMs ?? 100;
  let last: HttpOutcome = { status: 'unavailable', reason: 'not attempted' };
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) {
      const delay = backoff * 2 ** (attempt - 1) * (0.5 + Math.random());
      try {
        await sleep(delay, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch {
        return { status: 'unavailable', reason: 'cancelled' };
      }
    }
    if (options.signal?.aborted) return { status: 'unavailable', reason: 'cancelled' };
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let res: Response;
    let body: string;
    try {
      res = await fetch(url, { headers, signal });
      body = await res.text();
    } catch (err) {
      if (timeout.aborted) return { status: 'unavailable', reason: `timeout after ${formatMillis(options.timeoutMs)}` };
      if (options.signal?.aborted) return { status: 'unavailable', reason: 'cancelled' };
      last = { status: 'unavailable', reason: networkReason(err, url) };
      continue;
    }
    if (res.ok) return { status: 'ok', body };
    if (res.status === 404) return { status: 'not_found', reason: 'trace not found' };
    if (res.status === 401 || res.status === 403) {
      return { status: 'unavailable', reason: `HTTP ${res.status}: the backend refused our credentials; check the source's auth settings` };
    }
    if (res.status === 400) return { status: 'not_found', reason: `the backend rejected the trace id (HTTP 400: ${snippet(body)})` };
    last = { status: 'unavailable', reason: `HTTP ${res.status}${body ? `: ${snippet(body)}` : ''}` };
    if (res.status !== 429 && res.status < 500) return last;
  }
  if (options.retries > 0 && last.status === 'unavailable') {
    return { status: 'unavailable', reason: `${last.reason} (after ${options.retries + 1} attempts)` };
  }
  return last;
}
