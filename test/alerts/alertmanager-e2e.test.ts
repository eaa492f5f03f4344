// sitrep behind a real Alertmanager (Debian's prometheus-alertmanager, installed by .ci/run): its webhook
// receiver with bearer auth points at sitrep, with intervals of seconds so its grouping, repeats,
// resolutions and retries all happen within the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sitrep } from '../../src/app.js';
import type { IncidentStore } from '../../src/incidents/store-port.js';
import { freePort } from '../helpers/ports.js';
import { cleanPrefix, testRedis } from '../helpers/redis.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { INTAKE_RULES, TOKENS } from './webhooks.js';

const ALERTMANAGER = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

let h: SlackHarness;
/** The sitrep Alertmanager is talking to now (replaced when the test restarts it). */
let current: Sitrep;
let am: ChildProcess;
let amUrl: string;
let sitrepPort: number;
let dir: string;

beforeAll(async () => {
  sitrepPort = await freePort();
  h = await startSlackHarness({
    ALERT_RULES_FILE: INTAKE_RULES,
    PORT: String(sitrepPort),
    ONCALL_FILE: resolve(process.cwd(), 'test/paging/fixtures/oncall-slack.yaml'),
    ROOM_RETRY_FIRST_MS: '20',
    ROOM_RETRY_MAX_MS: '80',
  });
  current = h.sitrep;
  dir = mkdtempSync(join(tmpdir(), 'sitrep-am-'));
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    `route:
  receiver: sitrep
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 3s
receivers:
  - name: sitrep
    webhook_configs:
      - url: http://127.0.0.1:${sitrepPort}/hooks/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: ${TOKENS.alertmanager}
`,
  );
  const amPort = await freePort();
  amUrl = `http://127.0.0.1:${amPort}`;
  am = spawn(
    ALERTMANAGER,
    [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=', '--log.level=warn'],
    { stdio: 'ignore' },
  );
  am.on('error', (err) => {
    throw new Error(`could not start ${ALERTMANAGER} (Debian package prometheus-alertmanager; .ci/run installs it): ${err.message}`);
  });
  await eventually(async () => (await fetch(`${amUrl}/-/ready`)).ok, 'Alertmanager to be ready', 15_000);
}, 60_000);

afterAll(async () => {
  am?.kill('SIGTERM');
  await current?.stop();
  await h?.fake.stop();
  const redis = testRedis();
  if (h) await cleanPrefix(redis, h.prefix);
  redis.disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What Prometheus does on every evaluation: (re)sends the alerts that fire, ending a few minutes out. */
async function fire(alerts: { labels: Record<string, string>; startsAt?: string; endsAt?: string }[]): Promise<void> {
  const endsAt = new Date(Date.now() + 5 * 60_000).toISOString();
  const res = await fetch(`${amUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts.map((a) => ({ endsAt, annotations: { summary: `${a.labels.alertname} on ${a.labels.instance}` }, ...a }))),
  });
  expect(res.status).toBe(200);
}

const store = (): IncidentStore => current.deps.store;

async function incidentsOf(alertname: string) {
  const open = await store().listOpen();
  return open.filter((i) => i.title === alertname);
}

async function scrape(series: string): Promise<number> {
  const text = await (await fetch(current.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('behind a real Alertmanager', () => {
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const checkout = (instance: string) => ({ labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical', instance }, startsAt });

  it("one incident per group; its repeat notifications (repeat_interval) are not counted as re-firings", async () => {
    await fire([checkout('a'), checkout('b')]);
    const [incident] = await eventually(async () => {
      const found = await incidentsOf('CheckoutErrors');
      return found.length && found[0]!.alertFingerprints.length === 2 ? found : undefined;
    }, 'the group incident with both alerts', 15_000);
    // Prometheus keeps re-sending; Alertmanager re-notifies every repeat_interval with the same startsAt.
    await eventually(async () => {
      await fire([checkout('a'), checkout('b')]);
      return (await scrape('sitrep_alerts_received_total{source="alertmanager",outcome="repeat"}')) >= 4;
    }, 'two repeat notifications of the group', 20_000);
    expect(await incidentsOf('CheckoutErrors')).toHaveLength(1);
    const fired = (await store().timeline(incident!.id)).filter((e) => e.type === 'alert_fired');
    expect(fired.map((e) => e.type === 'alert_fired' && e.count)).toEqual([1, 1]);
  }, 60_000);

  it('resolving the alerts offers to resolve the incident', async () => {
    const [incident] = await incidentsOf('CheckoutErrors');
    const now = new Date().toISOString();
    await fire([
      { ...checkout('a'), endsAt: now },
      { ...checkout('b'), endsAt: now },
    ]);
    const offer = await eventually(
      () => h.fake.messages(incident!.room!.id).find((m) => JSON.stringify(m.blocks ?? []).includes('sitrep_alert_resolve')),
      'the resolve offer',
      20_000,
    );
    expect(offer.text).toMatch(/All alerts of INC-\d+ have resolved/);
  }, 60_000);

  it('two groups of one rule are named by their service, and a second instance joining is shown by what differs', async () => {
    const errors = (service: string, instance: string) => ({ labels: { alertname: 'HighErrorRate', service, severity: 'critical', instance }, startsAt: new Date().toISOString() });
    await fire([errors('payments', 'a'), errors('checkout', 'a')]);
    const named = async (title: string) =>
      eventually(async () => (await store().listOpen()).find((i) => i.title === title && i.room?.cardId), `the incident "${title}" with its room`, 15_000);
    const payments = await named('HighErrorRate · payments');
    const checkout = await named('HighErrorRate · checkout');
    expect(h.fake.channel(payments.room!.id)?.name).toBe(`inc-${payments.number}-higherrorrate-payments`);
    expect(h.fake.channel(checkout.room!.id)?.name).toBe(`inc-${checkout.number}-higherrorrate-checkout`);

    await fire([errors('payments', 'a'), errors('payments', 'b')]);
    await eventually(
      () => h.fake.messages(payments.room!.id).some((m) => m.text?.includes('Another alert joined this incident: HighErrorRate (payments) — instance=b')),
      'the join note naming the other instance',
      20_000,
    );
  }, 60_000);

  it('sitrep down for a while: Alertmanager retries and the alert arrives once', async () => {
    await current.stop();
    await fire([{ labels: { alertname: 'LedgerLag', service: 'ledger', severity: 'critical', instance: 'a' }, startsAt: new Date().toISOString() }]);
    // Longer than group_wait + a few group_intervals: Alertmanager has failed to deliver more than once.
    await new Promise((r) => setTimeout(r, 8000));
    current = await h.startReplica({ PORT: String(sitrepPort) });
    await eventually(async () => (await incidentsOf('LedgerLag')).length === 1, 'the incident once sitrep is back', 30_000);
    // A few more notifications later, still one incident with one firing.
    await new Promise((r) => setTimeout(r, 4000));
    const incidents = await incidentsOf('LedgerLag');
    expect(incidents).toHaveLength(1);
    const fired = (await store().timeline(incidents[0]!.id)).filter((e) => e.type === 'alert_fired');
    expect(fired).toHaveLength(1);
  }, 90_000);

  it('chat refusing rooms longer than the old give-up window: the on-call is paged meanwhile, and the room opens when chat returns', async () => {
    const refused = () => h.fake.callsTo('conversations.create').filter((c) => c.error).length;
    h.fake.failNext('conversations.create', 'fatal_error', { times: 100_000 });
    await fire([{ labels: { alertname: 'SearchDown', service: 'search', severity: 'critical', team: 'team-search', instance: 'a' }, startsAt: new Date().toISOString() }]);
    const [incident] = await eventually(async () => {
      const found = await incidentsOf('SearchDown');
      return found.length ? found : undefined;
    }, 'the incident', 15_000);
    await eventually(() => h.fake.dms('U_ALICE').some((m) => m.text?.includes(`INC-${incident!.number}`)), 'the page to reach Alice', 15_000);
    await eventually(() => refused() >= 12, 'more refused tries than sitrep used to make', 15_000);
    expect((await store().get(incident!.id))?.room).toBeUndefined();

    h.fake.heal('conversations.create');
    const opened = await eventually(async () => {
      const cur = await store().get(incident!.id);
      return cur?.room?.cardId ? cur : undefined;
    }, 'the room to open', 15_000);
    await eventually(() => h.fake.messages(opened.room!.id).some((m) => m.text?.includes('chat refused to open this room until now')), 'the late note');
  }, 60_000);
});
