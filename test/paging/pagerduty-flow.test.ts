import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { channelTexts, current, declare, eventsOf, page, pagesReceived, ONCALL_FIXTURE } from './e2e.js';

const WEBHOOK_SECRET = 'pd-webhook-secret';

/** PagerDuty's Events API v2 on loopback: records what it was sent, answers 202 like PagerDuty. */
class FakeEventsApi {
  readonly events: Record<string, unknown>[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeEventsApi> {
    const server = createServer();
    const api = new FakeEventsApi(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        api.events.push({ path: req.url, ...body });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: body.dedup_key }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  actions(dedupKey: string): string[] {
    return this.events.filter((e) => e.dedup_key === dedupKey).map((e) => String(e.event_action));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

let h: SlackHarness;
let pd: FakeEventsApi;
beforeAll(async () => {
  pd = await FakeEventsApi.start();
  h = await startSlackHarness({ ONCALL_FILE: ONCALL_FIXTURE, PAGERDUTY_EVENTS_URL: pd.url, PAGERDUTY_WEBHOOK_SECRET: WEBHOOK_SECRET });
});
afterAll(async () => {
  await h?.stop();
  await pd?.stop();
});

function ackWebhook(incident: Incident, eventId = `01EVT${incident.number}`): string {
  const template = JSON.parse(readFileSync(new URL('./fixtures/pagerduty/incident.acknowledged.json', import.meta.url), 'utf8')) as {
    event: { id: string; agent: { id: string; summary: string }; data: { incident_key: string } };
  };
  template.event.id = eventId;
  template.event.agent.id = 'PBOB001';
  template.event.agent.summary = 'Bob Baker';
  template.event.data.incident_key = `sitrep-${incident.id}`;
  return JSON.stringify(template);
}

function sign(body: string, secret = WEBHOOK_SECRET): string {
  return `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function postWebhook(body: string, signature?: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${h.sitrep.url}/hooks/pagerduty`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-pagerduty-signature': signature } : {}) },
    body,
  });
  return { status: res.status, json: await res.json() };
}

async function pagedThroughPagerDuty(what: string): Promise<Incident> {
  const incident = await declare(h, what);
  await page(h, incident, 'team-payments');
  await eventually(() => pd.actions(`sitrep-${incident.id}`).includes('trigger'), 'the PagerDuty trigger');
  return eventually(async () => {
    const i = await current(h, incident);
    return i.pages[0]?.announced === '0.0' ? i : undefined;
  }, 'the page announced');
}

describe('teams that page through PagerDuty', () => {
  it('a page triggers one PagerDuty alert with the incident dedup key and the team routing key; resolving resolves it', async () => {
    const incident = await pagedThroughPagerDuty('Card payments declined');
    const trigger = pd.events.find((e) => e.dedup_key === `sitrep-${incident.id}`)!;
    expect(trigger).toMatchObject({
      path: '/v2/enqueue',
      routing_key: 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00',
      event_action: 'trigger',
      payload: { summary: `[SEV3] INC-${incident.number}: ${incident.title}`, severity: 'warning', group: 'team-payments', source: 'sitrep' },
    });
    expect(incident.pages[0]).toMatchObject({ provider: 'pagerduty', externalKey: `sitrep-${incident.id}`, status: 'pending' });
    expect(incident.pages[0]!.nextEscalationAt).toBeUndefined(); // PagerDuty escalates, not sitrep
    expect(channelTexts(h, incident)).toContainEqual(expect.stringContaining('Paged *team-payments* through PagerDuty (on call: <@U_BOB>)'));
    expect(pagesReceived(h, 'U_BOB', incident)).toEqual([]); // PagerDuty rings bob, not a DM
    expect(h.fake.channel(incident.room!.id)?.members).toContain('U_BOB');

    await h.driver.slashCommand({ text: 'resolve', userId: 'U_CAROL', channelId: incident.room!.id });
    await eventually(() => pd.actions(`sitrep-${incident.id}`).includes('resolve'), 'the PagerDuty resolve');
    expect(pd.actions(`sitrep-${incident.id}`)).toEqual(['trigger', 'resolve']);
    expect(pd.events.find((e) => e.event_action === 'resolve' && e.dedup_key === `sitrep-${incident.id}`)).toMatchObject({ routing_key: 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00' });
  });

  it('a signed acknowledgement webhook is mirrored onto the timeline once, with the PagerDuty user', async () => {
    const incident = await pagedThroughPagerDuty('Refunds stuck');
    const body = ackWebhook(incident);

    const first = await postWebhook(body, sign(body));
    const again = await postWebhook(body, sign(body)); // PagerDuty retries deliveries
    expect(first).toMatchObject({ status: 200, json: { ok: true, recorded: true } });
    expect(again.status).toBe(200);

    const acks = await eventsOf(h, incident, 'acknowledged');
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ actor: { platform: 'pagerduty', id: 'PBOB001', name: 'Bob Baker' }, team: 'team-payments', at: '2024-03-06T18:45:22.169Z' });
    const after = await current(h, incident);
    expect(after.pages[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: { platform: 'pagerduty', id: 'PBOB001' } });
    expect(after.acknowledgedAt).toBe('2024-03-06T18:45:22.169Z');
    await eventually(() => channelTexts(h, incident).find((t) => t.includes('Bob Baker acknowledged the page in PagerDuty')), 'the channel told');
  });

  it('unsigned and forged webhooks are refused with 401 and write nothing', async () => {
    const incident = await pagedThroughPagerDuty('Payouts late');
    const before = await h.store.timeline(incident.id);
    const body = ackWebhook(incident, '01FORGED');

    const unsigned = await postWebhook(body);
    const forged = await postWebhook(body, sign(body, 'not-the-secret'));
    const tampered = await postWebhook(body.replace('Bob Baker', 'Mallory'), sign(body));
    expect([unsigned.status, forged.status, tampered.status]).toEqual([401, 401, 401]);
    expect(JSON.stringify(unsigned.json)).toContain('only signed v3 webhook subscriptions are accepted');
    expect(JSON.stringify(forged.json)).toContain('signature does not match');
    expect(await h.store.timeline(incident.id)).toEqual(before);
    expect((await current(h, incident)).pages[0]!.status).toBe('pending');
  });

  it('a signed webhook about an alert sitrep did not raise is answered and ignored', async () => {
    const body = readFileSync(new URL('./fixtures/pagerduty/incident.triggered.foreign.json', import.meta.url), 'utf8');
    const res = await postWebhook(body, sign(body));
    expect(res).toMatchObject({ status: 200, json: { ok: true, recorded: false } });
  });
});
