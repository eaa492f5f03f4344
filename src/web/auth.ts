import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isSitrepError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import { html, plainPage } from './html.js';
import type { OidcSignIn } from './oidc.js';
import { SESSION_COOKIE, sameToken, type SessionCookies, type Viewer } from './session.js';
import type { TrustedProxies } from './trusted-header.js';

/** `public` needs nobody (sign-in, assets); `page` sends strangers to sign in; `data` answers them 401. */
export type RouteKind = 'public' | 'page' | 'data';

export interface SignedIn {
  viewer: Viewer;
  csrf: string;
  /** True for a cookie session (OIDC), which sign-out can end. */
  cookie: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    kind?: RouteKind;
  }
  interface FastifyRequest {
    signedIn?: SignedIn;
  }
}

export type AuthMode =
  | { mode: 'oidc'; oidc: OidcSignIn }
  | { mode: 'header'; header: string; proxies: TrustedProxies }
  | { mode: 'none' };

export interface AuthOptions {
  auth: AuthMode;
  sessions: SessionCookies;
  /** Cookies get `Secure` when the console is served over https. */
  secureCookies: boolean;
  publicUrl: string;
  logger: Logger;
}

const PENDING_COOKIE = 'sitrep_signin';
const LOCAL_VIEWER: Viewer = { email: 'operator@localhost', name: 'local operator' };

const PendingSignIn = z.object({ verifier: z.string(), state: z.string(), nonce: z.string(), next: z.string() });

type Identity = { state: 'ok'; signedIn: SignedIn } | { state: 'none' } | { state: 'invalid' };

/**
 * Authentication for every console route, decided by the route's `kind`, and CSRF for every request
 * that changes something. Registered in the console's scope only: the webhooks keep their own checks.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  const { sessions } = options;
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: options.secureCookies, path: '/' };

  function identify(request: FastifyRequest): Identity {
    const { auth } = options;
    if (auth.mode === 'none') return { state: 'ok', signedIn: { viewer: LOCAL_VIEWER, csrf: sessions.csrfFor(LOCAL_VIEWER.email), cookie: false } };
    if (auth.mode === 'header') {
      const value = request.headers[auth.header.toLowerCase()];
      const email = typeof value === 'string' ? value.trim() : undefined;
      if (!email || !auth.proxies.trusts(request.socket.remoteAddress)) return { state: 'none' };
      return { state: 'ok', signedIn: { viewer: { email }, csrf: sessions.csrfFor(email), cookie: false } };
    }
    const read = sessions.read(request.cookies[SESSION_COOKIE]);
    if (read.state !== 'ok') return read;
    const { email, name, csrf } = read.session;
    return { state: 'ok', signedIn: { viewer: { email, ...(name ? { name } : {}) }, csrf, cookie: true } };
  }

  app.addHook('onRequest', async (request, reply) => {
    const kind = request.routeOptions.config.kind ?? 'data';
    if (kind === 'public') return;
    const identity = identify(request);
    if (identity.state === 'ok') {
      request.signedIn = identity.signedIn;
      return;
    }
    if (identity.state === 'invalid') void reply.clearCookie(SESSION_COOKIE, cookieOptions);
    const signIn = options.auth.mode === 'oidc' ? `/auth/signin?next=${encodeURIComponent(request.url)}` : undefined;
    if (kind === 'page' && identity.state === 'none' && signIn) return reply.redirect(signIn, 302);
    const message =
      identity.state === 'invalid' ? 'Your session has expired or is not valid. Sign in again.' : options.auth.mode === 'header' ? 'Sign in through your single sign-on proxy.' : 'Sign in first.';
    if (kind === 'page') {
      return reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(plainPage('Sign in', html`<p>${message}</p>${signIn ? html`<p><a href="${signIn}">Sign in</a></p>` : ''}`));
    }
    return reply.code(401).send({ ok: false, error: message });
  });

  // Every state change carries the token of this sign-in (header for scripts, field for forms).
  app.addHook('preHandler', async (request, reply) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || !request.signedIn) return;
    const body = request.body as Record<string, unknown> | undefined;
    const given = (request.headers['x-csrf-token'] as string | undefined) ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
    if (!sameToken(request.signedIn.csrf, given)) {
      return reply.code(403).send({ ok: false, error: 'This request is missing the page token (CSRF). Reload the page and try again.' });
    }
  });

  const auth = options.auth;
  if (auth.mode !== 'oidc') return;

  app.get('/auth/signin', { config: { kind: 'public' } }, async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    const { url, pending } = await auth.oidc.start(next);
    void reply.setCookie(PENDING_COOKIE, sessions.seal(pending), { ...cookieOptions, path: '/auth', maxAge: 600 });
    return reply.redirect(url.href, 302);
  });

  app.get('/auth/callback', { config: { kind: 'public' } }, async (request, reply) => {
    const raw = request.cookies[PENDING_COOKIE];
    const pending = PendingSignIn.safeParse(raw ? sessions.open(raw) : undefined);
    void reply.clearCookie(PENDING_COOKIE, { ...cookieOptions, path: '/auth' });
    if (!pending.success) return problem(reply, 400, 'This sign-in link has expired or was opened in another browser.', true);
    try {
      const viewer = await auth.oidc.finish(new URL(request.url, options.publicUrl), pending.data);
      const issued = sessions.issue(viewer);
      void reply.setCookie(SESSION_COOKIE, issued.value, { ...cookieOptions, maxAge: issued.maxAgeSeconds });
      options.logger.info({ email: viewer.email }, 'console sign-in');
      return reply.redirect(pending.data.next, 302);
    } catch (err) {
      if (!isSitrepError(err)) throw err;
      options.logger.warn({ code: err.code, reason: err.userMessage }, 'console sign-in refused');
      return problem(reply, err.httpStatus, err.userMessage, true);
    }
  });

  app.post('/auth/signout', { config: { kind: 'data' } }, async (_request, reply) => {
    void reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/auth/signed-out', 303);
  });

  app.get('/auth/signed-out', { config: { kind: 'public' } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(plainPage('Signed out', html`<p>You are signed out of sitrep.</p><p><a href="/auth/signin">Sign in again</a></p>`)),
  );
}

function problem(reply: FastifyReply, status: number, message: string, offerSignIn: boolean): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(plainPage('Sign-in problem', html`<p>${message}</p>${offerSignIn ? html`<p><a href="/auth/signin">Start again</a></p>` : ''}`));
}

/** Only a path on this site: never an absolute or protocol-relative URL (no open redirect). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/incidents';
}
