import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PagingError } from '../../src/paging/errors.js';
import type { PageRequest, Pager } from '../../src/paging/pager.js';
import { createPagerDutyPager, routingKeysFromConfig } from '../../src/paging/providers/pagerduty.js';
import { oncallConfig } from './helpers.js';

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };
type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/** A stand-in for events.pagerduty.com on loopback: records every request and answers from a script. */
class FakeEventsApi {
  readonly received: Received[] = [];
  private readonly script: Reply[] = [];
  private server: Server | undefined;
  baseUrl = '';

  replyWith(...replies: Reply[]): void {
    this.script.push(...replies);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
        const reply = this.script.shift() ?? accepted();
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const accepted = (dedupKey = 'sitrep-inc-42'): Reply => ({
  status: 202,
  body: { status: 'success', message: 'Event processed', dedup_key: dedupKey },
});

const ROUTING_KEYS: Record<string, string> = {
  'team-payments': 'R0UT1NGKEYPAYMENTS0000000000000A',
  'team-search': 'R0UT1NGKEYSEARCH00000000000000B',
};

const request = (overrides: Partial<PageRequest> = {}): PageRequest => ({
  incident: {
    id: 'inc-42',
    number: 42,
    title: 'Checkout returns 502 for card payments',
    severity: 'SEV1',
    channelUrl: 'https://acme.slack.com/archives/C0INC42',
  },
  team: 'team-payments',
  level: 0,
  users: [{ id: 'maria', name: 'Maria Okafor' }],
  message: 'card-gateway is timing out',
  ...overrides,
});

let api: FakeEventsApi;
let pager: Pager;

beforeEach(async () => {
  api = new FakeEventsApi();
  await api.start();
  pager = createPagerDutyPager({
    baseUrl: api.baseUrl,
    routingKeyFor: (team) => ROUTING_KEYS[team] ?? '',
    retryDelayMs: 5,
  });
});

afterEach(async () => {
  await api.stop();
});

describe('paging a team through PagerDuty', () => {
  it('triggers an alert keyed by the incident, with summary, severity, details and a link to the channel', async () => {
    const result = await pager.page(request());
    expect(result).toEqual({ provider: 'pagerduty', externalKey: 'sitrep-inc-42' });
    expect(api.received).toHaveLength(1);
    expect(api.received[0]).toMatchObject({ method: 'POST', url: '/v2/enqueue' });
    expect(api.received[0]?.headers['content-type']).toBe('application/json');
    expect(api.received[0]?.body).toEqual({
      routing_key: 'R0UT1NGKEYPAYMENTS0000000000000A',
      event_action: 'trigger',
      dedup_key: 'sitrep-inc-42',
      payload: {
        summary: '[SEV1] INC-42: Checkout returns 502 for card payments',
        source: 'sitrep',
        severity: 'critical',
        group: 'team-payments',
        custom_details: {
          incident: 'INC-42',
          incident_id: 'inc-42',
          severity: 'SEV1',
          team: 'team-payments',
          escalation_level: 1,
          paged_users: ['Maria Okafor'],
          message: 'card-gateway is timing out',
          channel: 'https://acme.slack.com/archives/C0INC42',
        },
      },
      client: 'sitrep',
      client_url: 'https://acme.slack.com/archives/C0INC42',
      links: [{ href: 'https://acme.slack.com/archives/C0INC42', text: 'INC-42 incident channel' }],
    });
  });

  it('maps SEV1…SEV4 to critical, error, warning and info', async () => {
    for (const severity of ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const) {
      await pager.page(request({ incident: { ...request().incident, severity } }));
    }
    const sent = api.received.map((r) => (r.body.payload as { severity: string }).severity);
    expect(sent).toEqual(['critical', 'error', 'warning', 'info']);
  });

  it('keeps the summary within PagerDuty’s 1024 characters', async () => {
    await pager.page(request({ incident: { ...request().incident, title: 'x'.repeat(2000) } }));
    const summary = (api.received[0]?.body.payload as { summary: string }).summary;
    expect(summary).toHaveLength(1024);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('uses each team’s own routing key', async () => {
    await pager.page(request({ team: 'team-search' }));
    expect(api.received[0]?.body.routing_key).toBe('R0UT1NGKEYSEARCH00000000000000B');
  });

  it('acknowledges and resolves the same alert by its dedup key', async () => {
    await pager.acknowledge({ incidentId: 'inc-42', team: 'team-payments' });
    await pager.resolve({ incidentId: 'inc-42', team: 'team-payments' });
    expect(api.received.map((r) => r.body)).toEqual([
      { routing_key: 'R0UT1NGKEYPAYMENTS0000000000000A', event_action: 'acknowledge', dedup_key: 'sitrep-inc-42' },
      { routing_key: 'R0UT1NGKEYPAYMENTS0000000000000A', event_action: 'resolve', dedup_key: 'sitrep-inc-42' },
    ]);
  });
});

describe('when PagerDuty pushes back', () => {
  it('a 429 rate limit is retried and the page goes through', async () => {
    api.replyWith({ status: 429, body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }, headers: { 'retry-after': '0' } }, accepted());
    await expect(pager.page(request())).resolves.toEqual({ provider: 'pagerduty', externalKey: 'sitrep-inc-42' });
    expect(api.received).toHaveLength(2);
    expect(api.received[1]?.body).toEqual(api.received[0]?.body);
  });

  it('a PagerDuty outage is retried, then reported as unavailable', async () => {
    api.replyWith(...Array.from({ length: 4 }, () => ({ status: 503, body: { message: 'Service Unavailable' } })));
    const error = await pager.page(request()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PagingError);
    expect(error).toMatchObject({ code: 'PAGERDUTY_UNAVAILABLE' });
    expect((error as Error).message).toContain('Paging team "team-payments" through PagerDuty failed.');
    expect((error as Error).message).toContain('after 4 attempts (HTTP 503: Service Unavailable)');
    expect(api.received).toHaveLength(4);
  });

  it('a 400 is not retried and PagerDuty’s explanation reaches the user', async () => {
    api.replyWith({
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"] },
    });
    const error = await pager.page(request()).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'PAGERDUTY_REJECTED' });
    expect((error as Error).message).toContain(
      "HTTP 400: Event object is invalid: Length of 'routing_key' is incorrect (should be 32 characters)",
    );
    expect((error as Error).message).toContain("Check the team's routing key in oncall.yaml");
    expect(api.received).toHaveLength(1);
  });

  it('an unreachable PagerDuty is retried, then reported as unavailable', async () => {
    await api.stop();
    const offline = createPagerDutyPager({ baseUrl: api.baseUrl, routingKeyFor: () => 'k', retryDelayMs: 1, maxAttempts: 2 });
    const error = await offline.resolve({ incidentId: 'inc-42', team: 'team-payments' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'PAGERDUTY_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/Could not reach PagerDuty at .*\/v2\/enqueue to resolve .* after 2 attempts/);
  });
});

describe('routing keys from oncall.yaml', () => {
  const config = oncallConfig({
    teams: {
      'team-payments': { escalationPolicy: 'solo', provider: 'pagerduty', pagerduty: { routingKeyEnv: 'PD_KEY_PAYMENTS' } },
      'team-search': { escalationPolicy: 'solo', provider: 'pagerduty', pagerduty: { routingKey: 'inline-key' } },
      'team-directory': { escalationPolicy: 'solo' },
    },
  });

  it('reads an inline key, or the environment variable the team names', () => {
    const keyFor = routingKeysFromConfig(config, { PD_KEY_PAYMENTS: 'from-env' });
    expect(keyFor('team-search')).toBe('inline-key');
    expect(keyFor('team-payments')).toBe('from-env');
  });

  it('an unset environment variable says which one to set', () => {
    expect(() => routingKeysFromConfig(config, {})('team-payments')).toThrow(
      expect.objectContaining({ code: 'PAGERDUTY_NOT_CONFIGURED', message: expect.stringContaining('PD_KEY_PAYMENTS is not set') }),
    );
  });

  it('a team without PagerDuty settings says what to add', () => {
    expect(() => routingKeysFromConfig(config, {})('team-directory')).toThrow(/Add teams\.team-directory\.pagerduty\.routingKey/);
  });
});
