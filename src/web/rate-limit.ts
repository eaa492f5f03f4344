import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../log.js';

/** A per-minute budget shared by every replica (RedisRateLimiter). */
export interface MinuteBudget {
  /** Takes one unit per member not yet counted in `bucket` this minute. */
  take(bucket: string, members: readonly string[]): Promise<{ ok: boolean; retryAfterS: number }>;
}

export interface ConsoleRateLimits {
  /** Sign-in attempts per client address and minute (starting a sign-in and returning from the provider). */
  signIn: MinuteBudget;
  /** State-changing requests per signed-in person (else per address) and minute. */
  changes: MinuteBudget;
  logger: Logger;
  /** Counts the 429s for /metrics. */
  refused?: (budget: 'signin' | 'change') => void;
}

const SIGN_IN_PATHS = new Set(['/auth/signin', '/auth/callback']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Rate limits for the console, counted in Redis so that replicas share them: a script hammering the
 * sign-in or a form gets 429 with Retry-After and nothing is done. Runs after authentication, so a
 * signed-in person is limited by who they are, not by the proxy address they share with colleagues.
 */
export function registerRateLimits(app: FastifyInstance, limits: ConsoleRateLimits): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const bucket = SIGN_IN_PATHS.has(path) ? `web-signin:${request.ip}` : !READS.has(request.method) ? `web-change:${who(request)}` : undefined;
    if (!bucket) return;
    const budget = bucket.startsWith('web-signin:') ? limits.signIn : limits.changes;
    let verdict: { ok: boolean; retryAfterS: number };
    try {
      // Every request is its own member: one unit each.
      verdict = await budget.take(bucket, [randomUUID()]);
    } catch (err) {
      // Redis trouble must not lock people out of the console during an incident: the request goes on.
      limits.logger.warn({ err: { message: (err as Error).message } }, 'console rate limit could not be checked; letting the request through');
      return;
    }
    if (verdict.ok) return;
    const name = bucket.startsWith('web-signin:') ? 'signin' : 'change';
    limits.refused?.(name);
    limits.logger.warn({ budget: name, path }, 'console rate limit reached');
    const message = `Too many requests. Wait ${verdict.retryAfterS} s and try again.`;
    void reply.code(429).header('retry-after', String(verdict.retryAfterS));
    return request.headers.accept?.includes('text/html') ? reply.type('text/plain; charset=utf-8').send(message) : reply.send({ ok: false, error: message });
  });
}

function who(request: FastifyRequest): string {
  return request.signedIn ? `person:${request.signedIn.viewer.email.toLowerCase()}` : `ip:${request.ip}`;
}
