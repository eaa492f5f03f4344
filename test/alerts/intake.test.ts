import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sitrep } from '../../src/app.js';
import type { Incident } from '../../src/domain/incident.js';
import type { TimelineEvent } from '../../src/domain/timeline.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { testRedis } from '../helpers/redis.js';
import { eventually } from '../helpers/wait.js';
import { ALERTMANAGER_FIXTURE, clone, DATADOG_FIXTURE, GRAFANA_FIXTURE, localFixture, sharedFixture } from './helpers.js';
import { genericAlert, incidentForAlert, INTAKE_RULES, redisSnapshot, sendHook } from './webhooks.js';

let h: SlackHarness;
let redis: Redis;
beforeAll(async () => {
  h = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES });
  redis = testRedis();
});
afterAll(async () => {
  redis?.disconnect();
  await h?.stop();
});

const hook = (source: Parameters<typeof sendHook>[1], body: unknown, headers?: Record<string, string>) => sendHook(h.sitrep.url, source, body, headers);

/** Incidents declared so far, once the background work in flight has finished. */
async function incidentCount(): Promise<number> {
  await h.settle();
  return Number((await redis.get(`${h.prefix}incident:seq`)) ?? 0);
}


async function alertEvents(incident: Incident): Promise<TimelineEvent[]> {
  return (await h.store.timeline(incident.id)).filter((e) => e.type === 'alert_fired' || e.type === 'alert_resolved');
}

/** Grafana's fixture reduced to its firing checkout alert (SEV1, runbook, panel link, trace id). */
function grafanaFiring(): Record<string, unknown> {
  const body = clone(localFixture(GRAFANA_FIXTURE)) as { alerts: { status: string }[] };
  body.alerts = body.alerts.filter((a) => a.status === 'firing');
  return body;
}

describe('webhook checks: nothing is written unless the webhook is authentic and valid', () => {
  it('an unauthenticated webhook gets 401 with what to send, and writes nothing', async () => {
    await h.settle();
    const before = await redisSnapshot(redis, h.prefix);
    const alert = genericAlert('Disk full', { service: 'db' });

    const missing = await hook('generic', alert, {});
    expect(missing.status).toBe(401);
    expect(missing.json.error).toMatch(/missing Authorization header: send "Authorization: Bearer <token>"/);

    const wrongToken = await hook('generic', alert, { authorization: 'Bearer not-the-configured-token' });
    expect(wrongToken.status).toBe(401);
    expect(wrongToken.json.error).toMatch(/bearer token does not match/);

    const badSignature = await hook('grafana', grafanaFiring(), { 'x-grafana-signature': `sha256=${'0'.repeat(64)}` });
    expect(badSignature.status).toBe(401);
    expect(badSignature.json.error).toMatch(/x-grafana-signature signature does not match the body/);

    await h.settle();
    expect(await redisSnapshot(redis, h.prefix)).toEqual(before);
  });

  it('a body over 1 MiB gets 413 and writes nothing', async () => {
    const before = await redisSnapshot(redis, h.prefix);
    const huge = genericAlert('Huge', {}, { summary: 'x'.repeat(1024 * 1024 + 10) });
    const res = await hook('generic', huge);
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/larger than 1048576 bytes/);
    expect(await redisSnapshot(redis, h.prefix)).toEqual(before);
  });

  it('malformed JSON and partial payloads get 400 naming what to fix, and write nothing', async () => {
    const before = await redisSnapshot(redis, h.prefix);

    const notJson = await hook('generic', '{"title": "Disk full",');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatch(/^Body is not valid JSON/);

    // One bad alert in a batch: none of them is accepted, and the reason names the field.
    const partial = await hook('generic', { alerts: [genericAlert('Disk full'), { labels: { service: 'db' } }] });
    expect(partial.status).toBe(400);
    expect(partial.json.error).toMatch(/generic alert payload: alerts\[1\]\.title is required/);

    const am = clone(sharedFixture(ALERTMANAGER_FIXTURE)) as Record<string, unknown>;
    delete am.version;
    const noVersion = await hook('alertmanager', am);
    expect(noVersion.status).toBe(400);
    expect(noVersion.json.error).toMatch(/alertmanager alert payload: .*version/);

    await h.settle();
    expect(await redisSnapshot(redis, h.prefix)).toEqual(before);
    expect((await hook('generic', genericAlert('Disk full'), undefined)).status).toBe(202); // the same sender, fixed
    await h.settle();
  });
});

describe('a firing alert opens an incident; repeats and resolution land on its timeline', () => {
  let incident: Incident;

  it('opens one incident with channel, card and the alert links, and returns 202 at once', async () => {
    const before = await incidentCount();
    const res = await hook('grafana', grafanaFiring());
    expect(res.status).toBe(202);
    expect(res.json.alerts).toEqual([expect.objectContaining({ fingerprint: '8d3c0f3a1e2b4c5d', action: 'incident', outcome: 'declaring' })]);

    incident = await incidentForAlert(h, '8d3c0f3a1e2b4c5d');
    expect(await incidentCount()).toBe(before + 1);
    expect(incident).toMatchObject({
      title: 'CheckoutHighErrorRate',
      severity: 'SEV1',
      source: { kind: 'alert', detail: 'grafana' },
      declaredBy: { platform: 'alert', id: 'grafana' },
      affectedServices: ['checkout'],
      alertFingerprints: ['8d3c0f3a1e2b4c5d'],
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      suspectedOwner: { team: 'payments', via: 'alert' },
    });
    expect(incident.links).toEqual([
      { label: 'Runbook', url: 'https://runbooks.example.com/checkout/high-error-rate' },
      { label: 'Dashboard', url: 'https://grafana.example.com/d/checkout-slo?orgId=1&viewPanel=4' },
    ]);
    const card = h.fake.messages(incident.room!.id).find((m) => m.ts === incident.room!.cardId);
    const cardJson = JSON.stringify(card?.blocks);
    expect(cardJson).toContain('https://runbooks.example.com/checkout/high-error-rate|Runbook');
    expect(cardJson).toContain('viewPanel=4|Dashboard');
    expect(h.fake.pins(incident.room!.id).map((p) => p.ts)).toContain(incident.room!.cardId);
    expect(await alertEvents(incident)).toEqual([expect.objectContaining({ type: 'alert_fired', count: 1, title: 'CheckoutHighErrorRate', service: 'checkout' })]);
    // The first firing is dated when the alert started, so time to detect (first alert → declared) is measurable.
    const firing = (grafanaFiring() as { alerts: { startsAt: string }[] }).alerts[0]!.startsAt;
    expect((await alertEvents(incident))[0]?.at).toBe(new Date(firing).toISOString());
  });

  it("a re-notification of the same firing (same startsAt, Alertmanager's repeat_interval) is not a re-firing", async () => {
    const before = await incidentCount();
    const res = await hook('grafana', grafanaFiring());
    expect(res.status).toBe(202);
    expect(res.json.alerts?.[0]).toMatchObject({ outcome: 'repeat', incidentId: incident.id });
    await h.settle();
    expect(await incidentCount()).toBe(before);
    expect((await alertEvents(incident)).map((e) => (e.type === 'alert_fired' ? e.count : e.type))).toEqual([1]);
  });

  it('the same alert firing again (a new startsAt) adds "count 2" to the timeline instead of a second incident', async () => {
    const before = await incidentCount();
    const body = grafanaFiring() as { alerts: Record<string, unknown>[] };
    body.alerts[0]!.startsAt = '2024-05-14T09:50:00+02:00';
    const res = await hook('grafana', body);
    expect(res.json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId: incident.id });
    expect((await hook('grafana', body)).json.alerts?.[0]).toMatchObject({ outcome: 'repeat' });
    await h.settle();
    expect(await incidentCount()).toBe(before);
    expect((await alertEvents(incident)).map((e) => (e.type === 'alert_fired' ? e.count : e.type))).toEqual([1, 2]);
  });

  it('the alert resolving appends alert_resolved and offers a Resolve button that resolves the incident', async () => {
    const body = grafanaFiring() as { alerts: Record<string, unknown>[] };
    body.alerts[0]!.status = 'resolved';
    body.alerts[0]!.endsAt = '2024-05-14T09:55:00+02:00';
    const res = await hook('grafana', body);
    expect(res.json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId: incident.id });
    await h.settle();

    expect((await alertEvents(incident)).at(-1)).toMatchObject({ type: 'alert_resolved', fingerprint: '8d3c0f3a1e2b4c5d' });
    const offer = await eventually(() =>
      h.fake.messages(incident.room!.id).find((m) => JSON.stringify(m.blocks ?? []).includes('sitrep_alert_resolve')),
    );
    expect(offer.text).toMatch(/All alerts of INC-\d+ have resolved/);
    expect(JSON.stringify(offer.blocks)).toContain(`"value":"${incident.id}"`);
    expect((await h.store.get(incident.id))?.status).toBe('declared'); // a person decides

    await h.driver.blockAction({ userId: 'U_ALICE', actionId: 'sitrep_alert_resolve', value: incident.id, channelId: incident.room!.id, messageTs: offer.ts });
    await eventually(async () => (await h.store.get(incident.id))?.status === 'resolved', 'the incident to be resolved');
  });

  it('a resolved incident no longer absorbs its group: the next firing opens a new incident', async () => {
    const res = await hook('grafana', grafanaFiring());
    expect(res.json.alerts?.[0]).toMatchObject({ outcome: 'declaring' });
    await h.settle();
    const next = await eventually(async () => {
      const id = await h.store.findByFingerprint('8d3c0f3a1e2b4c5d');
      return id && id !== incident.id ? h.store.get(id) : undefined;
    }, 'a second incident for the group');
    expect(next.room?.id).not.toBe(incident.room?.id);
    expect((await alertEvents(next)).map((e) => e.type === 'alert_fired' && e.count)).toEqual([1]);
  });
});

describe('severity and grouping', () => {
  it('a worse alert joining raises the severity and says why on the card; a milder one of the same group joins instead of being posted', async () => {
    const high = await hook('generic', genericAlert('Payments errors', { service: 'payments', severity: 'high', region: 'eu' }));
    const incident = await incidentForAlert(h, high.json.alerts![0]!.fingerprint);
    expect(incident.severity).toBe('SEV2');

    const critical = await hook('generic', genericAlert('Payments errors', { service: 'payments', severity: 'critical', region: 'us' }));
    expect(critical.json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId: incident.id });
    const raised = await eventually(async () => {
      const cur = await h.store.get(incident.id);
      return cur?.severity === 'SEV1' ? cur : undefined;
    }, 'the severity to rise');
    expect(raised.highestSeverity).toBe('SEV1');
    const change = (await h.store.timeline(incident.id)).find((e) => e.type === 'severity_changed');
    expect(change).toMatchObject({ from: 'SEV2', to: 'SEV1', actor: { platform: 'alert', id: 'generic' } });
    await eventually(() => h.fake.messages(incident.room!.id).some((m) => m.text.includes('Severity raised to SEV1: Payments errors (payments) joined at SEV1 (severity="critical")')), 'the note saying why');

    const posts = h.fake.messages('C_OPS').length;
    const warning = await hook('generic', genericAlert('Payments errors', { service: 'payments', severity: 'warning', region: 'ap' }));
    expect(warning.json.alerts?.[0]).toMatchObject({ action: 'incident', outcome: 'recorded', incidentId: incident.id });
    await h.settle();
    expect(h.fake.messages('C_OPS')).toHaveLength(posts);
    expect((await h.store.get(incident.id))?.severity).toBe('SEV1');
  });

  it('a worse alert joining after a person set the severity leaves it as they set it, records who, and says so in the room', async () => {
    const high = await hook('generic', genericAlert('Ledger lag', { service: 'ledger', severity: 'high', region: 'eu' }));
    const incident = await incidentForAlert(h, high.json.alerts![0]!.fingerprint);
    expect(incident.severity).toBe('SEV2');

    // The on-call judges it minor and says so in the channel.
    await h.driver.slashCommand({ text: 'sev 3', userId: 'U_ALICE', channelId: incident.room!.id });
    const set = await eventually(async () => {
      const cur = await h.store.get(incident.id);
      return cur?.severity === 'SEV3' ? cur : undefined;
    }, 'the person to set SEV3');
    expect(set.severitySetBy).toMatchObject({ platform: 'slack', id: 'U_ALICE' });

    const critical = await hook('generic', genericAlert('Ledger lag', { service: 'ledger', severity: 'critical', region: 'us' }));
    expect(critical.json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId: incident.id });
    await eventually(() => h.fake.messages(incident.room!.id).some((m) => m.text.includes('Ledger lag (ledger) joined at SEV1; the severity stays SEV3 because <@U_ALICE> set it.')), 'the note saying why it did not rise');
    await h.settle();
    const after = await h.store.get(incident.id);
    expect(after).toMatchObject({ severity: 'SEV3', highestSeverity: 'SEV2', severitySetBy: { id: 'U_ALICE' } });
    const changes = (await h.store.timeline(incident.id)).filter((e) => e.type === 'severity_changed');
    expect(changes.map((e) => e.actor.id)).toEqual(['U_ALICE']);
  });
});

describe('alert incidents told apart', () => {
  const HIGH_ERROR_RATE = 'alertmanager-v4_higherrorrate_grouped-by-service.json';
  type Notification = { groupLabels: Record<string, string>; alerts: { labels: Record<string, string>; fingerprint: string; startsAt: string }[] };
  /** Alertmanager's notification for the HighErrorRate group of `service`, from the instance and pod given. */
  function highErrorRate(service: string, instance = '10.0.4.17:8080', pod = `${service}-api-7d9f8b6c4-x2k9p`): Notification {
    const body = clone(localFixture(HIGH_ERROR_RATE)) as Notification;
    body.groupLabels.service = service;
    const [a] = body.alerts;
    a!.labels = { ...a!.labels, service, instance, pod, job: `${service}-api` };
    a!.fingerprint = `${service}-${instance}`.replace(/[^a-z0-9]/g, '');
    return body;
  }

  it('two groups of one rule open incidents named by their service, in the title and the channel name', async () => {
    const payments = await hook('alertmanager', highErrorRate('payments'));
    const checkout = await hook('alertmanager', highErrorRate('checkout'));
    const [p, c] = [await incidentForAlert(h, payments.json.alerts![0]!.fingerprint), await incidentForAlert(h, checkout.json.alerts![0]!.fingerprint)];
    expect(p.title).toBe('HighErrorRate · payments');
    expect(c.title).toBe('HighErrorRate · checkout');
    expect(h.fake.channel(p.room!.id)?.name).toBe(`inc-${p.number}-higherrorrate-payments`);
    expect(h.fake.channel(c.room!.id)?.name).toBe(`inc-${c.number}-higherrorrate-checkout`);
  });

  it('an alert joining from another instance is shown by the labels that differ from the first', async () => {
    const first = await hook('alertmanager', highErrorRate('refunds'));
    const incident = await incidentForAlert(h, first.json.alerts![0]!.fingerprint);
    // Alertmanager's next notification of the group carries both alerts; only the new one is news.
    const next = highErrorRate('refunds');
    next.alerts.push(highErrorRate('refunds', '10.0.4.23:8080', 'refunds-api-7d9f8b6c4-qq81z').alerts[0]!);
    const res = await hook('alertmanager', next);
    expect(res.json.alerts?.map((a) => a.outcome)).toEqual(['repeat', 'recorded']);
    await eventually(
      () => h.fake.messages(incident.room!.id).some((m) => m.text.includes('Another alert joined this incident: HighErrorRate (refunds) — instance=10.0.4.23:8080, pod=refunds-api-7d9f8b6c4-qq81z')),
      'the join note naming what differs',
    );
  });
});

describe('Alertmanager specifics', () => {
  it('an incident opened from a notification Alertmanager truncated says how many alerts it left out', async () => {
    const body = clone(sharedFixture(ALERTMANAGER_FIXTURE)) as { alerts: { labels: Record<string, string> }[]; truncatedAlerts?: number };
    body.alerts = body.alerts.slice(0, 1);
    body.alerts[0]!.labels = { ...body.alerts[0]!.labels, alertname: 'PodsCrashLooping', severity: 'critical' };
    body.truncatedAlerts = 12;
    const res = await hook('alertmanager', body);
    expect(res.json.alerts?.[0]).toMatchObject({ outcome: 'declaring' });
    const incident = await incidentForAlert(h, res.json.alerts![0]!.fingerprint);
    expect(incident.description).toContain('Alertmanager left 12 more alerts of this group out of its notification');
  });
});

describe('routing', () => {
  it('an alert matching an ignore route is answered and leaves no trace', async () => {
    await h.settle();
    const before = await redisSnapshot(redis, h.prefix);
    const messages = h.fake.messages('C_OPS').length;
    const res = await hook('generic', genericAlert('Staging checkout down', { env: 'staging', service: 'checkout' }));
    expect(res.status).toBe(202);
    expect(res.json.alerts).toEqual([expect.objectContaining({ action: 'ignore', outcome: 'ignored', detail: 'ignored by routes[0] of the alert rules file' })]);
    await h.settle();
    expect(await redisSnapshot(redis, h.prefix)).toEqual(before);
    expect(h.fake.messages('C_OPS')).toHaveLength(messages);
  });

  it('low-severity alerts (the Alertmanager fixture, severity "info") are posted to the alerts channel, not declared', async () => {
    const before = await incidentCount();
    const res = await hook('alertmanager', sharedFixture(ALERTMANAGER_FIXTURE));
    expect(res.status).toBe(202);
    expect(res.json.alerts?.map((a) => [a.action, a.outcome])).toEqual([
      ['post', 'posted'],
      ['post', 'posted'],
      ['post', 'posted'],
    ]);
    await h.settle();
    expect(await incidentCount()).toBe(before);
    const posted = h.fake.messages('C_OPS').filter((m) => m.text.startsWith('SEV4 alert: Memory: Relativ memory usage low — from alertmanager'));
    expect(posted.map((m) => /name=(\w+)/.exec(m.text)?.[1]).sort()).toEqual(['grafana', 'nginx', 'prometheus']);
  });

  it("a posted alert is posted once per firing, not on each of Alertmanager's re-notifications; its resolution is threaded under it, once", async () => {
    const body = clone(sharedFixture(ALERTMANAGER_FIXTURE)) as { status: string; alerts: { status: string; endsAt: string; fingerprint?: string; labels: Record<string, string> }[] };
    body.alerts = body.alerts.slice(0, 1);
    body.alerts[0]!.labels = { alertname: 'DiskFilling', severity: 'warning', device: 'sda1', instance: 'db-7' };
    delete body.alerts[0]!.fingerprint; // a new alert: its fingerprint comes from its labels

    expect((await hook('alertmanager', body)).json.alerts?.[0]).toMatchObject({ outcome: 'posted' });
    for (let i = 0; i < 3; i++) expect((await hook('alertmanager', body)).json.alerts?.[0]).toMatchObject({ outcome: 'repeat' });
    await h.settle();
    const firing = h.fake.messages('C_OPS').filter((m) => m.text.includes('device=sda1, instance=db-7'));
    expect(firing).toHaveLength(1);

    body.status = 'resolved';
    body.alerts[0]!.status = 'resolved';
    body.alerts[0]!.endsAt = '2020-10-11T15:00:00Z';
    expect((await hook('alertmanager', body)).json.alerts?.[0]).toMatchObject({ outcome: 'posted' });
    expect((await hook('alertmanager', body)).json.alerts?.[0]).toMatchObject({ outcome: 'repeat' });
    await h.settle();
    const all = h.fake.messages('C_OPS').filter((m) => m.text.includes('device=sda1, instance=db-7'));
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ thread_ts: firing[0]!.ts });
    expect(all[1]!.text).toMatch(/^Resolved: /);
  });
});

describe('real senders', () => {
  it("Datadog's default-template webhook (fixture) is accepted with its bearer token and posted as a SEV3 alert", async () => {
    const res = await hook('datadog', sharedFixture(DATADOG_FIXTURE));
    expect(res.status).toBe(202);
    expect(res.json.alerts).toEqual([expect.objectContaining({ action: 'post', outcome: 'posted' })]);
    await eventually(() => h.fake.messages('C_OPS').find((m) => m.text.startsWith('SEV3 alert: [TEST] Host Cluster Alert — from datadog') && m.text.includes('Dashboard: https://app.datadoghq.com/monitors#18692904')), 'the Datadog alert in the alerts channel');
  });
});

describe('grouping', () => {
  it('alerts of one group in one payload open one incident, counted per alert', async () => {
    const before = await incidentCount();
    const [earlier, later] = [new Date(Date.now() - 60_000).toISOString(), new Date(Date.now() - 1000).toISOString()];
    // eu-1 fired, resolved unseen, and fired again: a second startsAt.
    const alerts = [['eu-1', earlier], ['eu-2', earlier], ['eu-1', later]].map(([host, startsAt]) => genericAlert('Search latency', { service: 'search', host: host! }, { startsAt }));
    const res = await hook('generic', { alerts });
    expect(res.json.alerts?.map((a) => a.outcome)).toEqual(['declaring', 'queued', 'queued']);
    const incident = await incidentForAlert(h, String(res.json.alerts?.[0]?.fingerprint));
    expect(await incidentCount()).toBe(before + 1);
    const fired = (await alertEvents(incident)).map((e) => (e.type === 'alert_fired' ? `${e.fingerprint}:${e.count}` : ''));
    const [a, b] = res.json.alerts!.map((x) => x.fingerprint);
    expect(fired).toEqual([`${a}:1`, `${b}:1`, `${a}:2`]);
  });

  it('two bot processes on one Redis receiving the same storm open exactly one incident per group, losing no alert', async () => {
    const second: Sitrep = await h.startReplica();
    try {
      const before = await incidentCount();
      const groups = ['orders', 'billing', 'cart', 'auth', 'ledger'];
      const storm = Array.from({ length: 100 }, (_, i) => ({
        bot: i % 2 === 0 ? h.sitrep.url : second.url,
        alert: genericAlert(`Storm on ${groups[i % groups.length]}`, { service: groups[i % groups.length]!, pod: `pod-${i % 4}` }),
      }));
      const responses = await Promise.all(storm.map(({ bot, alert }) => sendHook(bot, 'generic', alert)));
      expect(responses.map((r) => r.status)).toEqual(storm.map(() => 202));
      await Promise.all([h.settle(), second.deps.background.idle()]);

      expect(await incidentCount()).toBe(before + groups.length);
      const ids = new Set(responses.flatMap((r) => r.json.alerts!.map((a) => a.fingerprint)));
      const incidents = new Map<string, Incident>();
      for (const fp of ids) {
        const incident = await incidentForAlert(h, fp);
        incidents.set(incident.id, incident);
      }
      expect(incidents.size).toBe(groups.length);
      let fired = 0;
      for (const incident of incidents.values()) {
        expect(incident.room?.cardId).toBeTruthy();
        fired += (await alertEvents(incident)).filter((e) => e.type === 'alert_fired').length;
      }
      expect(fired).toBe(storm.length);
    } finally {
      await second.stop();
    }
  });
});

describe('when chat misbehaves', () => {
  it('a room that fails to open (Slack refused the channel) is opened on a retry, for the same single incident', async () => {
    const before = await incidentCount();
    h.fake.failNext('conversations.create', 'restricted_action');
    const alert = genericAlert('Inventory sync stalled', { service: 'inventory' });
    const res = await hook('generic', alert);
    expect(res.json.alerts?.[0]).toMatchObject({ outcome: 'declaring' });
    const incident = await eventually(async () => {
      const id = await h.store.findByFingerprint(res.json.alerts![0]!.fingerprint);
      const found = id ? await h.store.get(id) : undefined;
      return found?.room?.cardId ? found : undefined;
    }, 'the room to open on a retry', 6000);
    expect(await incidentCount()).toBe(before + 1);
    expect(h.fake.callsTo('conversations.create').filter((c) => String(c.args.name).includes('inventory-sync-stalled')).map((c) => c.error ?? 'ok')).toEqual(['restricted_action', 'ok']);

    // Meanwhile and afterwards, its alerts are recorded on it.
    expect((await hook('generic', alert)).json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId: incident.id });
  });

  it('alerts meant for a platform sitrep is not connected to get 503 and write nothing, so the sender retries', async () => {
    const teamsless = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES, ALERT_PLATFORM: 'teams' });
    try {
      const before = await redisSnapshot(redis, teamsless.prefix);
      const res = await sendHook(teamsless.sitrep.url, 'generic', genericAlert('Checkout down', { service: 'checkout' }));
      expect(res.status).toBe(503);
      expect(res.json.error).toMatch(/not connected to teams, where alerts go \(ALERT_PLATFORM\)/);
      expect(await redisSnapshot(redis, teamsless.prefix)).toEqual(before);
    } finally {
      await teamsless.stop();
    }
  });
});
