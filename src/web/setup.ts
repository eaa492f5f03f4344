import type { Config } from '../config.js';
import type { AuthMode } from './auth.js';
import { OidcSignIn } from './oidc.js';
import { TrustedProxies } from './trusted-header.js';

/** The console's sign-in from the configuration (already checked complete by parseConfig). */
export function webConsoleAuth(config: Config): AuthMode {
  if (config.WEB_AUTH === 'none') return { mode: 'none' };
  if (config.WEB_AUTH === 'header') return { mode: 'header', header: config.WEB_AUTH_HEADER, proxies: new TrustedProxies(config.WEB_TRUSTED_PROXIES) };
  return {
    mode: 'oidc',
    oidc: new OidcSignIn({
      issuer: config.OIDC_ISSUER ?? '',
      clientId: config.OIDC_CLIENT_ID ?? '',
      clientSecret: config.OIDC_CLIENT_SECRET ?? '',
      scopes: config.OIDC_SCOPES,
      redirectUri: new URL('/auth/callback', config.PUBLIC_URL).href,
      allowedEmailDomains: config.WEB_ALLOWED_EMAIL_DOMAINS,
      allowedSlackTeams: config.WEB_ALLOWED_SLACK_TEAMS,
      allowedTenants: config.WEB_ALLOWED_TENANTS,
    }),
  };
}
