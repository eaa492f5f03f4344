/**
 * Console settings for tests that bring their own signed session cookies (`SessionCookies` with `secret`):
 * sign-in is OpenID Connect, but the provider is never reached, since discovery waits for the first sign-in
 * and these tests never start one. `env` adds or overrides settings.
 */
export function consoleWithOwnSessions(secret: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    WEB_CONSOLE: 'on',
    PUBLIC_URL: 'http://127.0.0.1:9',
    WEB_AUTH: 'oidc',
    OIDC_ISSUER: 'http://127.0.0.1:9/issuer',
    OIDC_CLIENT_ID: 'sitrep',
    OIDC_CLIENT_SECRET: 'client-secret',
    WEB_ALLOWED_EMAIL_DOMAINS: 'example.com',
    WEB_SESSION_SECRET: secret,
    ...env,
  };
}
