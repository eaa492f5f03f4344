import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeOidcProvider, type OidcPeople } from '../fakes/oidc/provider.js';
import { freePort } from '../helpers/ports.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

/** Where the browser tests leave their screenshots (gitignored; CI keeps them as artifacts). */
export const SCREENSHOTS = 'test-artifacts/web';

/**
 * Debian's Chromium, headless, with everything that would call Google switched off (this machine's
 * network is closed and Chromium retries those calls at every start).
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * sitrep on the fake Slack with its web console on, signing in through a test OpenID provider on loopback
 * (any password; people of example.com allowed). `env` adds or overrides settings.
 */
export async function startConsoleWithOidc(people: OidcPeople, env: Record<string, string> = {}): Promise<{ h: SlackHarness; idp: FakeOidcProvider; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const idp = await FakeOidcProvider.start({ clientId: 'sitrep-console', clientSecret: 'console-client-secret', redirectUri: `${base}/auth/callback`, people });
  const h = await startSlackHarness({
    PORT: String(port),
    WEB_CONSOLE: 'on',
    PUBLIC_URL: base,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: 'sitrep-console',
    OIDC_CLIENT_SECRET: 'console-client-secret',
    WEB_ALLOWED_EMAIL_DOMAINS: 'example.com',
    WEB_SESSION_SECRET: 'browser-test-session-secret-0123456789',
    ...env,
  });
  return { h, idp, base };
}

/** Signs `login` in on the provider's login page the console sent the browser to. */
export async function signInAt(page: Page, login: string): Promise<void> {
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  // oidc-provider's development consent page.
  await page.click('button[type="submit"]');
}
