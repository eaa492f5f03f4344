import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_SEVERITY_LABELS, SEVERITIES, Severity, type SeverityLabels } from './domain/severity.js';

const optionalString = z.string().trim().min(1).optional();
const list = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));
const bool = (dflt: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? dflt : ['true', '1', 'yes'].includes(v)));
const int = (dflt: number, min: number, max: number) =>
  z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(min).max(max).default(dflt);
const url = z.url({ message: 'must be a URL such as https://example.com' });

/** `SEV1=15m,SEV2=30m`: how long each severity may go without a status update; unnamed severities get none. */
const reminderIntervals = z
  .string()
  .optional()
  .transform((v, ctx): Partial<Record<Severity, number>> => {
    const out: Partial<Record<Severity, number>> = {};
    for (const pair of (v ?? 'SEV1=15m,SEV2=30m').split(',').filter((p) => p.trim())) {
      const [sev, value] = pair.split('=').map((s) => s.trim());
      const match = /^(\d+)(s|m|h)$/.exec(value ?? '');
      if (!Severity.safeParse(sev).success || !match) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" should look like SEV1=15m (s, m or h)` });
        return z.NEVER;
      }
      out[sev as Severity] = Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
    }
    return out;
  });

const severityLabels = z
  .string()
  .optional()
  .transform((v, ctx): SeverityLabels => {
    const labels = { ...DEFAULT_SEVERITY_LABELS };
    for (const pair of (v ?? '').split(',').filter((p) => p.trim())) {
      const [sev, label] = pair.split('=').map((s) => s.trim());
      if (!Severity.safeParse(sev).success || !label) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" should look like SEV1=Critical` });
        return z.NEVER;
      }
      labels[sev as Severity] = label;
    }
    return labels;
  });

/**
 * Every setting sitrep reads, with what it is for. The table drives parsing and the start-up error
 * messages; a test checks that `.env.example` lists each one, so they never drift apart.
 */
export const VARIABLES = {
  LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), doc: 'log level (pino)' },
  PORT: { schema: int(3000, 0, 65535), doc: 'HTTP port for Slack events, Teams messages, alert webhooks and health checks' },
  HOST: { schema: z.string().default('0.0.0.0'), doc: 'address the HTTP server binds to' },
  PUBLIC_URL: { schema: url.optional(), doc: 'public base URL of this bot, used in links' },

  REDIS_URL: { schema: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss:// (TLS)').default('redis://127.0.0.1:6379'), doc: 'Redis holding incidents and timelines (redis:// or rediss:// for TLS)' },
  REDIS_KEY_PREFIX: { schema: z.string().min(1).default('sitrep:'), doc: 'prefix of every Redis key sitrep writes' },
  REDIS_SENTINELS: { schema: list, doc: 'Sentinel host:port list; when set, REDIS_URL only supplies password/TLS' },
  REDIS_SENTINEL_NAME: { schema: z.string().default('mymaster'), doc: 'Sentinel master name' },
  REDIS_CLUSTER_NODES: { schema: list, doc: 'Redis Cluster seed host:port list' },
  REDIS_COMMAND_TIMEOUT_MS: { schema: int(1000, 50, 60000), doc: 'longest a Redis command may take; past it the request fails fast with 503 + Retry-After' },
  REDIS_WAIT_REPLICAS: { schema: int(0, 0, 16), doc: 'replicas that must confirm a write before sitrep acknowledges it (Redis WAIT; 0 = off; not with Cluster)' },
  REDIS_WAIT_TIMEOUT_MS: { schema: int(500, 10, 60000), doc: 'how long to wait for REDIS_WAIT_REPLICAS; fewer confirmations in time answer 503' },
  SHUTDOWN_TIMEOUT_MS: { schema: int(10000, 100, 600000), doc: 'on SIGTERM, longest to finish in-flight work before exiting (keep below the orchestrator grace period)' },

  SLACK_BOT_TOKEN: { schema: z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(), doc: 'Slack bot token (OAuth & Permissions → Bot User OAuth Token)' },
  SLACK_SIGNING_SECRET: { schema: optionalString, doc: 'Slack signing secret (Basic Information → App Credentials); needed in HTTP mode' },
  SLACK_APP_TOKEN: { schema: z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(), doc: 'Slack app-level token with connections:write; when set, sitrep uses Socket Mode' },
  SLACK_API_URL: { schema: url.optional(), doc: 'Slack Web API base URL (tests, enterprise proxies); default https://slack.com/api/' },
  SLACK_ANNOUNCE_CHANNEL: { schema: optionalString, doc: 'channel id where new incidents are announced (optional)' },
  SLACK_MIN_POST_INTERVAL_MS: { schema: int(1000, 0, 60000), doc: 'least time between two sitrep messages in one channel (Slack allows about one per second)' },
  SLACK_CAPTURE_EMOJI: { schema: z.string().default('pushpin'), doc: 'reaction that adds a message to the incident timeline' },

  TEAMS_APP_ID: { schema: optionalString, doc: 'Azure Bot (single-tenant) Microsoft App ID' },
  TEAMS_TENANT_ID: { schema: optionalString, doc: 'Azure AD tenant id of the bot registration' },
  TEAMS_APP_PASSWORD: { schema: optionalString, doc: 'client secret of the bot registration (or use a certificate / managed identity)' },
  TEAMS_CERT_THUMBPRINT: { schema: optionalString, doc: 'certificate thumbprint, with TEAMS_CERT_KEY_FILE, instead of a password' },
  TEAMS_CERT_KEY_FILE: { schema: optionalString, doc: 'PEM private key file of that certificate' },
  TEAMS_MANAGED_IDENTITY: { schema: bool(false), doc: 'authenticate with the Azure managed identity instead of a secret' },
  TEAMS_MANAGED_IDENTITY_CLIENT_ID: { schema: optionalString, doc: 'client id of a user-assigned managed identity' },
  TEAMS_TEAM_ID: { schema: optionalString, doc: 'Teams team (group) id where incident rooms are created' },
  TEAMS_INCIDENTS_CHANNEL_ID: { schema: optionalString, doc: 'Teams channel id (19:…@thread.tacv2) whose threads are incident rooms' },
  TEAMS_ROOM_MODE: { schema: z.enum(['thread', 'channel']).default('thread'), doc: 'thread (default, bot permissions only) or channel (Microsoft Graph Channel.Create)' },
  TEAMS_GRAPH_URL: { schema: url.default('https://graph.microsoft.com/v1.0'), doc: 'Microsoft Graph base URL' },

  INCIDENT_CHANNEL_PREFIX: { schema: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,20}$/, 'lowercase letters, digits, - or _ (≤ 21 characters)').default('inc'), doc: 'prefix of incident channel names (inc-42-checkout-down)' },
  DEFAULT_SEVERITY: { schema: z.enum(SEVERITIES).default('SEV3'), doc: 'severity of a declared incident when none is given' },
  SEVERITY_LABELS: { schema: severityLabels, doc: 'labels, e.g. SEV1=Critical,SEV2=Major,SEV3=Minor,SEV4=Low' },
  INCIDENT_ADMINS: { schema: list, doc: 'user ids (Slack U…, Teams AAD ids) who may close any incident besides its lead' },
  TIME_ZONE: { schema: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'), doc: 'organisation time zone for timelines and postmortems' },

  TRACE_SOURCES_FILE: { schema: optionalString, doc: 'YAML file listing trace backends (Jaeger, Tempo, Zipkin)' },
  JAEGER_URL: { schema: url.optional(), doc: 'Jaeger query base URL (shortcut for a one-backend setup)' },
  TEMPO_URL: { schema: url.optional(), doc: 'Grafana Tempo base URL (shortcut)' },
  ZIPKIN_URL: { schema: url.optional(), doc: 'Zipkin base URL (shortcut)' },
  TRACE_TIMEOUT_MS: { schema: int(2000, 100, 60000), doc: 'per-request timeout for trace backends' },
  TRACE_UI_URL: { schema: optionalString, doc: 'trace deep-link template, e.g. https://jaeger.example/trace/{traceId}' },
  CATALOG_PATHS: { schema: list, doc: 'Backstage catalog-info.yaml files or folders, comma-separated' },
  OWNERSHIP_FILE: { schema: optionalString, doc: 'simple ownership.yaml (service → team)' },

  ONCALL_FILE: { schema: optionalString, doc: 'on-call schedules and escalation policies (oncall.yaml)' },
  PAGERDUTY_EVENTS_URL: { schema: url.default('https://events.pagerduty.com'), doc: 'PagerDuty Events API v2 base URL' },
  PAGERDUTY_WEBHOOK_SECRET: { schema: optionalString, doc: 'secret of the PagerDuty v3 webhook subscription (signature check)' },

  ALERT_RULES_FILE: { schema: optionalString, doc: 'alert routing, severity, grouping and webhook auth rules (YAML)' },
  ALERTS_MAX_PER_REQUEST: { schema: int(1000, 1, 100000), doc: 'most alerts one webhook may carry (413 past it; set max_alerts in Alertmanager)' },
  ALERT_INCIDENTS_PER_MINUTE: { schema: int(60, 1, 100000), doc: 'most new incidents one alert source may open per minute, across replicas (429 + Retry-After past it)' },
  ALERT_PLATFORM: { schema: z.enum(['slack', 'teams']).optional(), doc: 'where alert incidents open: slack or teams (default slack when Slack is configured, else teams)' },
  METRICS_TOKEN: { schema: optionalString, doc: 'bearer token GET /metrics requires (Authorization: Bearer <token>); unset: /metrics is open' },
  METRICS_PORT: { schema: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0).max(65535).optional(), doc: 'serve /metrics on this port of its own (same HOST) instead of PORT; unset: on PORT' },
  ROOM_RETRY_FIRST_MS: { schema: int(1000, 1, 600_000), doc: 'wait before retrying an alert incident room that chat refused; doubles on each further try' },
  ROOM_RETRY_MAX_MS: { schema: int(60_000, 1, 3_600_000), doc: 'longest wait between tries at opening a refused room (retried for as long as the incident is open)' },

  CHECKLIST_FILE: { schema: optionalString, doc: 'YAML checklist per severity posted on the incident card (default: the microservice incident checklist)' },

  STATUS_UPDATE_REMINDERS: { schema: reminderIntervals, doc: 'remind the comms lead (or lead) after this long without a status update, per severity (default SEV1=15m,SEV2=30m; others none)' },

  CHANGES_TOKEN: { schema: z.string().min(16, 'is too short to be a secret: use at least 16 random characters').optional(), doc: 'bearer token for POST /hooks/changes (generic change events, Argo CD notifications)' },
  GITHUB_WEBHOOK_SECRET: { schema: z.string().min(16, 'is too short to be a secret: use at least 16 random characters').optional(), doc: 'secret of the GitHub webhook sending deployment_status to POST /hooks/changes/github (X-Hub-Signature-256)' },
  CHANGES_ALLOW_UNAUTHENTICATED: { schema: bool(false), doc: 'accept change events without a token or signature (private networks only)' },
  CHANGE_RETENTION_DAYS: { schema: int(7, 1, 90), doc: 'how long change events are kept per service' },

  POSTMORTEM_TEMPLATE: { schema: optionalString, doc: 'custom postmortem Markdown template with {{placeholders}}' },
  CONFLUENCE_URL: { schema: url.optional(), doc: 'Confluence Cloud base URL, e.g. https://acme.atlassian.net/wiki' },
  CONFLUENCE_USER: { schema: optionalString, doc: 'Confluence account email' },
  CONFLUENCE_TOKEN: { schema: optionalString, doc: 'Confluence API token' },
  CONFLUENCE_SPACE: { schema: optionalString, doc: 'Confluence space key for postmortem pages' },
  WEB_CONSOLE: { schema: z.enum(['on', 'off']).default('off'), doc: 'web console at PUBLIC_URL/incidents: on or off' },
  WEB_AUTH: { schema: z.enum(['oidc', 'header', 'none']).default('oidc'), doc: 'console sign-in: oidc (OpenID Connect), header (a trusted proxy authenticates) or none (only when HOST is a loopback address)' },
  WEB_SESSION_SECRET: { schema: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(), doc: 'secret that signs console session cookies (at least 32 characters); the same on every replica' },
  WEB_SESSION_HOURS: { schema: int(12, 1, 24 * 30), doc: 'how long a console sign-in lasts, in hours' },
  OIDC_ISSUER: { schema: url.optional(), doc: 'OpenID Connect issuer URL (Slack: https://slack.com, Entra: https://login.microsoftonline.com/<tenant>/v2.0, Google, Okta, Keycloak realm URL)' },
  OIDC_CLIENT_ID: { schema: optionalString, doc: 'OpenID Connect client id of the console' },
  OIDC_CLIENT_SECRET: { schema: optionalString, doc: 'OpenID Connect client secret; the redirect URI to register is PUBLIC_URL/auth/callback' },
  OIDC_SCOPES: { schema: z.string().default('openid email profile'), doc: 'scopes asked for at sign-in' },
  WEB_ALLOWED_EMAIL_DOMAINS: { schema: list, doc: 'e-mail domains allowed to sign in to the console, comma-separated' },
  WEB_ALLOWED_SLACK_TEAMS: { schema: list, doc: 'Slack workspace ids (T…) allowed to sign in (Sign in with Slack)' },
  WEB_ALLOWED_TENANTS: { schema: list, doc: 'Microsoft Entra tenant ids allowed to sign in' },
  WEB_SIGNIN_PER_MINUTE: { schema: int(20, 1, 10_000), doc: 'console sign-in attempts allowed per client address and minute (shared by every replica through Redis); more get 429' },
  WEB_CHANGES_PER_MINUTE: { schema: int(60, 1, 100_000), doc: 'console state changes (declare, note, status…) allowed per signed-in person and minute; more get 429' },
  WEB_AUTH_HEADER: { schema: z.string().default('x-forwarded-email'), doc: 'header carrying the signed-in e-mail in WEB_AUTH=header mode (oauth2-proxy: x-forwarded-email)' },
  WEB_TRUSTED_PROXIES: { schema: list, doc: 'addresses or CIDR ranges of the proxies allowed to set WEB_AUTH_HEADER' },
} satisfies Record<string, { schema: z.ZodType; doc: string }>;

type Vars = typeof VARIABLES;
export type RawConfig = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

export interface Config extends RawConfig {
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  teams?: { appId: string; tenantId: string };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const schema = z.object(Object.fromEntries(Object.entries(VARIABLES).map(([k, v]) => [k, v.schema]))) as unknown as z.ZodType<RawConfig>;

/** Parses the environment; throws ConfigError with one line per problem (variable, what is wrong, what it is for). */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const cleaned = Object.fromEntries(Object.keys(VARIABLES).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]) as keyof Vars;
      return `${name}: ${issue.message} (${VARIABLES[name]?.doc ?? 'unknown setting'})`;
    });
    throw new ConfigError(problems);
  }
  const raw = result.data;
  const problems: string[] = [];
  const config: Config = { ...raw };

  if (raw.SLACK_BOT_TOKEN) {
    if (!raw.SLACK_APP_TOKEN && !raw.SLACK_SIGNING_SECRET) {
      problems.push(`SLACK_SIGNING_SECRET: required in HTTP mode (${VARIABLES.SLACK_SIGNING_SECRET.doc}); or set SLACK_APP_TOKEN for Socket Mode`);
    }
    config.slack = { botToken: raw.SLACK_BOT_TOKEN, signingSecret: raw.SLACK_SIGNING_SECRET, appToken: raw.SLACK_APP_TOKEN, apiUrl: raw.SLACK_API_URL };
  } else if (raw.SLACK_SIGNING_SECRET || raw.SLACK_APP_TOKEN) {
    problems.push(`SLACK_BOT_TOKEN: missing while other Slack settings are set (${VARIABLES.SLACK_BOT_TOKEN.doc})`);
  }

  if (raw.TEAMS_APP_ID) {
    if (!raw.TEAMS_TENANT_ID) problems.push(`TEAMS_TENANT_ID: required with TEAMS_APP_ID (${VARIABLES.TEAMS_TENANT_ID.doc}); multi-tenant bot registrations can no longer be created`);
    const hasCert = Boolean(raw.TEAMS_CERT_THUMBPRINT && raw.TEAMS_CERT_KEY_FILE);
    if (!raw.TEAMS_APP_PASSWORD && !hasCert && !raw.TEAMS_MANAGED_IDENTITY) {
      problems.push('TEAMS_APP_PASSWORD: required with TEAMS_APP_ID unless TEAMS_CERT_THUMBPRINT + TEAMS_CERT_KEY_FILE or TEAMS_MANAGED_IDENTITY=true is set');
    }
    if (raw.TEAMS_ROOM_MODE === 'thread' && !raw.TEAMS_INCIDENTS_CHANNEL_ID) {
      problems.push(`TEAMS_INCIDENTS_CHANNEL_ID: required for TEAMS_ROOM_MODE=thread (${VARIABLES.TEAMS_INCIDENTS_CHANNEL_ID.doc})`);
    }
    if (raw.TEAMS_ROOM_MODE === 'channel' && !raw.TEAMS_TEAM_ID) {
      problems.push(`TEAMS_TEAM_ID: required for TEAMS_ROOM_MODE=channel (${VARIABLES.TEAMS_TEAM_ID.doc})`);
    }
    if (raw.TEAMS_TENANT_ID) config.teams = { appId: raw.TEAMS_APP_ID, tenantId: raw.TEAMS_TENANT_ID };
  }

  for (const file of ['TRACE_SOURCES_FILE', 'OWNERSHIP_FILE', 'ONCALL_FILE', 'ALERT_RULES_FILE', 'POSTMORTEM_TEMPLATE', 'TEAMS_CERT_KEY_FILE', 'CHECKLIST_FILE'] as const) {
    const path = raw[file];
    if (path && !existsSync(path)) problems.push(`${file}: file "${path}" does not exist (${VARIABLES[file].doc})`);
  }
  for (const path of raw.CATALOG_PATHS) {
    if (!existsSync(path)) problems.push(`CATALOG_PATHS: "${path}" does not exist (${VARIABLES.CATALOG_PATHS.doc})`);
  }
  if (raw.CONFLUENCE_URL && !(raw.CONFLUENCE_USER && raw.CONFLUENCE_TOKEN && raw.CONFLUENCE_SPACE)) {
    problems.push('CONFLUENCE_URL: set CONFLUENCE_USER, CONFLUENCE_TOKEN and CONFLUENCE_SPACE too (Confluence export)');
  }

  if (raw.REDIS_WAIT_REPLICAS > 0 && raw.REDIS_CLUSTER_NODES.length) {
    problems.push('REDIS_WAIT_REPLICAS: not supported with REDIS_CLUSTER_NODES (WAIT covers one connection; a Cluster spreads writes); use min-replicas-to-write on the Cluster masters');
  }
  if (raw.REDIS_WAIT_REPLICAS > 0 && raw.REDIS_WAIT_TIMEOUT_MS >= raw.REDIS_COMMAND_TIMEOUT_MS) {
    problems.push(`REDIS_WAIT_TIMEOUT_MS: must be below REDIS_COMMAND_TIMEOUT_MS (${raw.REDIS_COMMAND_TIMEOUT_MS}), or the wait itself times out`);
  }
  problems.push(...webConsoleProblems(raw));

  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** The console's settings must make sign-in possible and safe before anything listens. */
function webConsoleProblems(raw: RawConfig): string[] {
  if (raw.WEB_CONSOLE === 'off') return [];
  const problems: string[] = [];
  if (!raw.PUBLIC_URL) problems.push(`PUBLIC_URL: required with WEB_CONSOLE=on (${VARIABLES.PUBLIC_URL.doc})`);
  if (raw.WEB_AUTH === 'none') {
    if (!isLoopback(raw.HOST)) problems.push(`WEB_AUTH: none serves incidents to anyone, so it is refused unless HOST is a loopback address (HOST is ${raw.HOST})`);
    return problems;
  }
  if (!raw.WEB_SESSION_SECRET) problems.push(`WEB_SESSION_SECRET: required with WEB_CONSOLE=on (${VARIABLES.WEB_SESSION_SECRET.doc})`);
  if (raw.WEB_AUTH === 'header') {
    if (!raw.WEB_TRUSTED_PROXIES.length) problems.push(`WEB_TRUSTED_PROXIES: required with WEB_AUTH=header (${VARIABLES.WEB_TRUSTED_PROXIES.doc}); anyone else could send the header`);
    for (const entry of raw.WEB_TRUSTED_PROXIES) {
      if (!isAddressOrRange(entry)) problems.push(`WEB_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range such as 10.0.0.0/8`);
    }
    return problems;
  }
  for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
    if (!raw[name]) problems.push(`${name}: required with WEB_AUTH=oidc (${VARIABLES[name].doc})`);
  }
  if (!raw.WEB_ALLOWED_EMAIL_DOMAINS.length && !raw.WEB_ALLOWED_SLACK_TEAMS.length && !raw.WEB_ALLOWED_TENANTS.length) {
    problems.push('WEB_ALLOWED_EMAIL_DOMAINS: set it, WEB_ALLOWED_SLACK_TEAMS or WEB_ALLOWED_TENANTS, so that only your organisation can sign in to the console');
  }
  return problems;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  if (extra !== undefined || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d+$/.test(bits) && Number(bits) <= max;
}

/** Reads `.env` (if present) into process.env without overriding what the shell already set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Guidance printed when no chat platform is configured: what to paste where, what to put in .env. */
export const NO_PLATFORM_HELP = `sitrep needs a chat platform to talk to. Set up Slack, Teams, or both:

Slack (easiest: Socket Mode, no public URL needed)
  1. https://api.slack.com/apps → Create New App → From an app manifest → paste manifests/slack/manifest.yaml
  2. Install to Workspace, then put in .env:
       SLACK_BOT_TOKEN=xoxb-…        (OAuth & Permissions → Bot User OAuth Token)
       SLACK_APP_TOKEN=xapp-…        (Basic Information → App-Level Tokens, scope connections:write)
     or, for HTTP mode behind a public URL, SLACK_SIGNING_SECRET=… instead of SLACK_APP_TOKEN.

Microsoft Teams
  1. Create a single-tenant Azure Bot, messaging endpoint https://<your-host>/api/messages
  2. Put in .env: TEAMS_APP_ID, TEAMS_TENANT_ID, TEAMS_APP_PASSWORD, TEAMS_INCIDENTS_CHANNEL_ID
  3. npx sitrep teams-package → upload sitrep-teams.zip in Teams (Apps → Manage your apps → Upload)

Then run: npm start    (see README.md → Configuration, and .env.example for every setting)`;
