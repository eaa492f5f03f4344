import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { genericAlert, INTAKE_RULES, sendHook } from '../alerts/webhooks.js';

const TOKEN = 'metrics-token-0123456789';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES, METRICS_TOKEN: TOKEN, ROOM_RETRY_FIRST_MS: '20', ROOM_RETRY_MAX_MS: '50' });
});
afterAll(async () => {
  await h?.stop();
});

async function scrape(url = h.sitrep.metricsUrl): Promise<string> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one series, e.g. `sitrep_rooms_waiting` or `sitrep_pages_total{outcome="sent"}`. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics, for the operator of sitrep', () => {
  it('is refused without the METRICS_TOKEN bearer, and names what to send', async () => {
    const res = await fetch(h.sitrep.metricsUrl);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Authorization: Bearer <METRICS_TOKEN>');
    expect((await fetch(h.sitrep.metricsUrl, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('has every error series at zero from the start, so increase() sees the first error', async () => {
    const text = await scrape();
    for (const series of [
      'sitrep_chat_api_calls_total{platform="slack",method="createRoom",outcome="unavailable"}',
      'sitrep_chat_api_calls_total{platform="slack",method="post",outcome="rate_limited"}',
      'sitrep_alerts_received_total{source="alertmanager",outcome="refused"}',
      'sitrep_webhook_auth_failures_total{source="pagerduty"}',
      'sitrep_webhook_auth_failures_total{source="slack"}',
      'sitrep_incidents_declared_total{source="alert",severity="SEV1"}',
      'sitrep_pages_total{outcome="failed"}',
      'sitrep_redis_errors_total',
      'sitrep_http_unknown_route_requests_total',
      'sitrep_triage_duration_seconds_count{result="error"}',
      'sitrep_rooms_waiting',
      'sitrep_rooms_oldest_waiting_seconds',
    ]) {
      expect(valueOf(text, series), series).toBe(0);
    }
  });

  it('counts alerts by outcome, webhook auth failures, declared incidents, chat calls, Redis latency and unknown routes', async () => {
    const refused = await sendHook(h.sitrep.url, 'generic', genericAlert('Disk full'), { authorization: 'Bearer nope' });
    expect(refused.status).toBe(401);
    const accepted = await sendHook(h.sitrep.url, 'generic', genericAlert('Ledger lag', { service: 'ledger' }));
    expect(accepted.status).toBe(202);
    await fetch(`${h.sitrep.url}/no-such-page`);
    await eventually(async () => (valueOf(await scrape(), 'sitrep_chat_api_calls_total{platform="slack",method="postCard",outcome="ok"}') ?? 0) >= 1, 'the room to open');

    const text = await scrape();
    expect(valueOf(text, 'sitrep_webhook_auth_failures_total{source="generic"}')).toBe(1);
    expect(valueOf(text, 'sitrep_alerts_received_total{source="generic",outcome="refused"}')).toBe(1);
    expect(valueOf(text, 'sitrep_alerts_received_total{source="generic",outcome="declaring"}')).toBe(1);
    expect(valueOf(text, 'sitrep_incidents_declared_total{source="alert",severity="SEV1"}')).toBe(1);
    expect(valueOf(text, 'sitrep_chat_api_calls_total{platform="slack",method="createRoom",outcome="ok"}')).toBe(1);
    expect(valueOf(text, 'sitrep_http_unknown_route_requests_total')).toBe(1);
    expect(valueOf(text, 'sitrep_redis_command_duration_seconds_count')).toBeGreaterThan(0);
  });

  it('shows rooms chat refuses to open, how long the oldest has waited, and the refusals', async () => {
    h.fake.failNext('conversations.create', 'fatal_error', { times: 100_000 });
    await sendHook(h.sitrep.url, 'generic', genericAlert('Queue stuck', { service: 'queue' }));
    await eventually(async () => valueOf(await scrape(), 'sitrep_rooms_waiting') === 1, 'a room waiting');
    await new Promise((r) => setTimeout(r, 1100));
    const text = await scrape();
    expect(valueOf(text, 'sitrep_rooms_oldest_waiting_seconds')).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'sitrep_chat_api_calls_total{platform="slack",method="createRoom",outcome="unavailable"}')).toBeGreaterThanOrEqual(1);

    h.fake.heal('conversations.create');
    await eventually(async () => valueOf(await scrape(), 'sitrep_rooms_waiting') === 0, 'the room to open', 8000);
    expect(valueOf(await scrape(), 'sitrep_rooms_oldest_waiting_seconds')).toBe(0);
  });

  it('METRICS_PORT serves /metrics on a port of its own, and not on the main port', async () => {
    const replica = await h.startReplica({ METRICS_PORT: '0', METRICS_TOKEN: '' });
    try {
      expect(replica.metricsUrl).not.toContain(new URL(replica.url).port);
      const res = await fetch(replica.metricsUrl);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('sitrep_rooms_waiting');
      expect((await fetch(`${replica.url}/metrics`)).status).toBe(404);
    } finally {
      await replica.stop();
    }
  });
});
