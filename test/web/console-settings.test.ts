import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { admit } from '../../src/web/oidc.js';
import { TrustedProxies } from '../../src/web/trusted-header.js';

const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh' };
const secret = 'x'.repeat(32);

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig({ ...slack, ...env });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('console settings', () => {
  it('refuses WEB_AUTH=none unless sitrep binds to loopback', () => {
    expect(problemsOf({ WEB_CONSOLE: 'on', PUBLIC_URL: 'http://x', WEB_AUTH: 'none', HOST: '0.0.0.0' })[0]).toMatch(/^WEB_AUTH: none .* refused unless HOST is a loopback address \(HOST is 0\.0\.0\.0\)/);
    expect(problemsOf({ WEB_CONSOLE: 'on', PUBLIC_URL: 'http://x', WEB_AUTH: 'none', HOST: '127.0.0.1' })).toEqual([]);
    expect(problemsOf({ WEB_CONSOLE: 'on', PUBLIC_URL: 'http://x', WEB_AUTH: 'none', HOST: '::1' })).toEqual([]);
  });

  it('asks for the provider, a session secret and an allow-list for OpenID Connect', () => {
    const problems = problemsOf({ WEB_CONSOLE: 'on', PUBLIC_URL: 'https://sitrep.example.com' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ISSUER', 'WEB_ALLOWED_EMAIL_DOMAINS', 'WEB_SESSION_SECRET']);
    expect(problemsOf({ WEB_CONSOLE: 'on', WEB_SESSION_SECRET: 'short' })).toContainEqual(expect.stringMatching(/^WEB_SESSION_SECRET: must be at least 32 characters/));
  });

  it('needs the trusted proxies for header mode and says which entry is not an address', () => {
    const base = { WEB_CONSOLE: 'on', PUBLIC_URL: 'https://s.example.com', WEB_AUTH: 'header', WEB_SESSION_SECRET: secret };
    expect(problemsOf(base)[0]).toMatch(/^WEB_TRUSTED_PROXIES: required with WEB_AUTH=header/);
    expect(problemsOf({ ...base, WEB_TRUSTED_PROXIES: '10.0.0.0/8, proxy.local' })).toEqual(['WEB_TRUSTED_PROXIES: "proxy.local" is not an IP address or CIDR range such as 10.0.0.0/8']);
  });

  it('is not needed at all while the console is off', () => {
    expect(problemsOf({})).toEqual([]);
  });
});

describe('who may sign in', () => {
  const allow = { allowedEmailDomains: ['example.com'], allowedSlackTeams: [], allowedTenants: [] };

  it('admits a verified address of an allowed domain and refuses the rest with a reason', () => {
    expect(admit({ email: 'maria@Example.com'.toLowerCase(), email_verified: true, name: 'Maria' }, allow)).toEqual({ email: 'maria@example.com', name: 'Maria' });
    expect(() => admit({ email: 'eve@evil.test', email_verified: true }, allow)).toThrow(/not in a domain allowed/);
    expect(() => admit({ email: 'maria@example.com', email_verified: false }, allow)).toThrow(/has not verified/);
    expect(() => admit({ sub: 'x' }, allow)).toThrow(/no e-mail address/);
  });

  it('checks the Slack workspace and the Entra tenant when they are configured', () => {
    const slackOnly = { allowedEmailDomains: [], allowedSlackTeams: ['T1'], allowedTenants: [] };
    expect(admit({ email: 'a@b.c', 'https://slack.com/team_id': 'T1' }, slackOnly).email).toBe('a@b.c');
    expect(() => admit({ email: 'a@b.c', 'https://slack.com/team_id': 'T2' }, slackOnly)).toThrow(/Slack workspace/);
    const entra = { allowedEmailDomains: [], allowedSlackTeams: [], allowedTenants: ['tid-1'] };
    // Entra sends the address as preferred_username unless the email claim is configured.
    expect(admit({ preferred_username: 'ana@contoso.com', tid: 'tid-1' }, entra).email).toBe('ana@contoso.com');
    expect(() => admit({ preferred_username: 'ana@contoso.com', tid: 'tid-2' }, entra)).toThrow(/tenant/);
  });
});

describe('trusted proxies', () => {
  it('trusts listed addresses and ranges only, IPv4-mapped IPv6 included', () => {
    const proxies = new TrustedProxies(['10.0.0.0/8', '192.168.1.5', 'fd00::/8']);
    expect(proxies.trusts('10.1.2.3')).toBe(true);
    expect(proxies.trusts('::ffff:10.1.2.3')).toBe(true);
    expect(proxies.trusts('192.168.1.5')).toBe(true);
    expect(proxies.trusts('192.168.1.6')).toBe(false);
    expect(proxies.trusts('fd12::1')).toBe(true);
    expect(proxies.trusts('127.0.0.1')).toBe(false);
    expect(proxies.trusts(undefined)).toBe(false);
  });
});
