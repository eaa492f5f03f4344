import * as client from 'openid-client';
import { SitrepError } from '../domain/errors.js';
import type { Viewer } from './session.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  /** PUBLIC_URL/auth/callback, registered with the provider. */
  redirectUri: string;
  allowedEmailDomains: string[];
  allowedSlackTeams: string[];
  allowedTenants: string[];
}

/** What sign-in keeps between the redirect to the provider and its answer (in a short-lived signed cookie). */
export interface PendingSignIn {
  verifier: string;
  state: string;
  nonce: string;
  next: string;
}

type Claims = Record<string, unknown>;

/**
 * OpenID Connect sign-in (authorization code + PKCE) with `openid-client`. Works with any provider that
 * publishes discovery metadata: Sign in with Slack, Entra ID, Google, Okta, Keycloak.
 */
export class OidcSignIn {
  private config?: Promise<client.Configuration>;

  constructor(private readonly settings: OidcSettings) {}

  /**
   * Discovery happens on the first sign-in, not at start-up: an unreachable provider must not stop the
   * bot, only the console sign-in (and a failed discovery is retried by the next sign-in).
   */
  private configuration(): Promise<client.Configuration> {
    this.config ??= this.discover().catch((err: unknown) => {
      this.config = undefined;
      throw new SitrepError('unavailable', `The sign-in provider ${this.settings.issuer} cannot be reached (${(err as Error).message}). Try again in a minute.`);
    });
    return this.config;
  }

  private async discover(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuer);
    // Plain http only for a provider on this machine (tests, a local Keycloak); anything else must be https.
    const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    return client.discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, local ? { execute: [client.allowInsecureRequests] } : undefined);
  }

  async start(next: string): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending: PendingSignIn = { verifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce(), next };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /** Exchanges the code, checks state, nonce and PKCE, and decides whether this person may enter. */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<Viewer> {
    const config = await this.configuration();
    let claims: Claims | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as Claims | undefined;
    } catch (err) {
      throw new SitrepError('unauthenticated', `Sign-in failed: ${(err as Error).message}. Start again from the sign-in page.`);
    }
    if (!claims) throw new SitrepError('unauthenticated', 'Sign-in failed: the provider sent no ID token.');
    return admit(claims, this.settings);
  }
}

/** Every configured restriction must hold (domain, Slack workspace, Entra tenant). */
export function admit(claims: Claims, settings: Pick<OidcSettings, 'allowedEmailDomains' | 'allowedSlackTeams' | 'allowedTenants'>): Viewer {
  const email = emailOf(claims);
  if (!email) throw new SitrepError('forbidden', 'Your sign-in carries no e-mail address; ask your administrator to add the email scope or claim.');
  if (claims.email_verified === false || claims.email_verified === 'false') {
    throw new SitrepError('forbidden', `The provider has not verified ${email}, so it cannot be used to sign in.`);
  }
  const domain = email.split('@').pop()?.toLowerCase() ?? '';
  if (settings.allowedEmailDomains.length && !settings.allowedEmailDomains.some((d) => d.toLowerCase() === domain)) {
    throw new SitrepError('forbidden', `${email} is not in a domain allowed to use this console.`);
  }
  const team = claims['https://slack.com/team_id'];
  if (settings.allowedSlackTeams.length && !(typeof team === 'string' && settings.allowedSlackTeams.includes(team))) {
    throw new SitrepError('forbidden', 'Your Slack workspace is not allowed to use this console.');
  }
  const tenant = claims.tid;
  if (settings.allowedTenants.length && !(typeof tenant === 'string' && settings.allowedTenants.includes(tenant))) {
    throw new SitrepError('forbidden', 'Your Microsoft Entra tenant is not allowed to use this console.');
  }
  const name = typeof claims.name === 'string' ? claims.name : undefined;
  return { email, ...(name ? { name } : {}) };
}

/** Entra puts the address in `preferred_username` unless the optional `email` claim is configured. */
function emailOf(claims: Claims): string | undefined {
  for (const value of [claims.email, claims.preferred_username]) {
    if (typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value)) return value;
  }
  return undefined;
}
