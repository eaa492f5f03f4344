import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { signerFactory } from '@fastify/cookie';

/** The person looking at the console. The e-mail matches them to their Slack/Teams identity when acting. */
export const Viewer = z.object({
  email: z.string().min(3),
  name: z.string().optional(),
});
export type Viewer = z.infer<typeof Viewer>;

/** What the session cookie carries: who, until when, and the CSRF token of this sign-in. */
const Session = Viewer.extend({ exp: z.number(), csrf: z.string().min(16) });
export type Session = z.infer<typeof Session>;

export type SessionRead = { state: 'none' } | { state: 'invalid' } | { state: 'ok'; session: Session };

export const SESSION_COOKIE = 'sitrep_session';

/**
 * Sessions are stateless signed cookies (HMAC-SHA256 over the JSON), so every replica reads them with
 * the shared WEB_SESSION_SECRET and nothing is stored per sign-in. The expiry is inside the signed value,
 * so an old cookie replayed after its time is refused even if a browser kept it.
 */
export class SessionCookies {
  private readonly signer: ReturnType<typeof signerFactory>;

  constructor(
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.signer = signerFactory(secret);
  }

  issue(viewer: Viewer): { value: string; session: Session; maxAgeSeconds: number } {
    const session: Session = { ...viewer, exp: this.now() + this.ttlMs, csrf: randomBytes(18).toString('base64url') };
    return { value: this.seal(session), session, maxAgeSeconds: Math.floor(this.ttlMs / 1000) };
  }

  read(cookie: string | undefined): SessionRead {
    if (!cookie) return { state: 'none' };
    const session = Session.safeParse(this.open(cookie));
    if (!session.success || session.data.exp <= this.now()) return { state: 'invalid' };
    return { state: 'ok', session: session.data };
  }

  /** Signs any small JSON value for a cookie (the sign-in in progress uses it too). */
  seal(value: unknown): string {
    return this.signer.sign(Buffer.from(JSON.stringify(value)).toString('base64url'));
  }

  /** The value `seal` signed, or undefined when the signature or the encoding is wrong. */
  open(cookie: string): unknown {
    const unsigned = this.signer.unsign(cookie);
    if (!unsigned.valid || unsigned.value === null) return undefined;
    try {
      return JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  }

  /** A CSRF token for identities that have no cookie session (trusted-header and none modes). */
  csrfFor(email: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${email}`).digest('base64url');
  }
}

export function sameToken(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
