import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const Secret = z.string().min(16, 'is too short to be a secret: use at least 16 random characters (e.g. `openssl rand -hex 32`)');

/** How one alert source proves a webhook is really from it. Set at least one, or opt out explicitly. */
export const SourceAuthConfig = z.strictObject({
  /** Expect `Authorization: Bearer <token>`. */
  bearerToken: Secret.optional(),
  /** Expect an HMAC-SHA256 of the raw body, hex, in `signatureHeader` (`sha256=<hex>` or bare hex). */
  hmacSecret: Secret.optional(),
  signatureHeader: z
    .string()
    .trim()
    .min(1)
    .transform((h) => h.toLowerCase())
    .default('x-sitrep-signature'),
  /** Accept unauthenticated webhooks (e.g. on a private network). Never the default. */
  allowUnauthenticated: z.boolean().default(false),
});
export type SourceAuthConfig = z.infer<typeof SourceAuthConfig>;

/** Node's IncomingHttpHeaders or any plain header record; names are matched without case. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export type AuthResult = { ok: true } | { ok: false; reason: string };

/**
 * Checks a webhook against its source's auth config. Every configured check must pass. A source with
 * nothing configured is refused unless `allowUnauthenticated: true`, so a route is never open by accident.
 */
export function authenticate(
  config: z.input<typeof SourceAuthConfig> | undefined,
  headers: WebhookHeaders,
  rawBody: Buffer,
): AuthResult {
  if (!config?.bearerToken && !config?.hmacSecret) {
    if (config?.allowUnauthenticated === true) return { ok: true };
    return {
      ok: false,
      reason:
        'this alert source has no bearerToken or hmacSecret in the alert rules file, so sitrep refuses its webhooks; ' +
        'configure one (or set allowUnauthenticated: true for this source)',
    };
  }
  if (config.bearerToken) {
    const result = checkBearer(config.bearerToken, header(headers, 'authorization'));
    if (!result.ok) return result;
  }
  if (config.hmacSecret) {
    const name = (config.signatureHeader ?? 'x-sitrep-signature').toLowerCase();
    const result = checkSignature(config.hmacSecret, name, header(headers, name), rawBody);
    if (!result.ok) return result;
  }
  return { ok: true };
}

function checkBearer(expected: string, authorization: string | undefined): AuthResult {
  if (authorization === undefined) {
    return { ok: false, reason: 'missing Authorization header: send "Authorization: Bearer <token>" with the token from the alert rules file' };
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) return { ok: false, reason: 'the Authorization header must be "Bearer <token>"' };
  if (!constantTimeEqual(Buffer.from(match[1]), Buffer.from(expected))) {
    return { ok: false, reason: 'the bearer token does not match the one configured for this source' };
  }
  return { ok: true };
}

function checkSignature(secret: string, name: string, value: string | undefined, rawBody: Buffer): AuthResult {
  if (value === undefined) {
    return { ok: false, reason: `missing ${name} header: send "sha256=<hex HMAC-SHA256 of the raw body>"` };
  }
  const hex = value.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    return { ok: false, reason: `the ${name} header must be "sha256=<64 hex characters>" or the 64 hex characters alone` };
  }
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  if (!constantTimeEqual(Buffer.from(hex, 'hex'), expected)) {
    return {
      ok: false,
      reason: `the ${name} signature does not match the body: sign the exact bytes sent, with the hmacSecret configured for this source`,
    };
  }
  return { ok: true };
}

// timingSafeEqual throws on different lengths; the length itself is not the secret.
function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}
