// Two bots on a Redis master + replica + three Sentinels, taking alerts while the master changes: by
// `SENTINEL FAILOVER`, then by SIGKILL of the master. Senders behave like Alertmanager (retry until a
// 2xx). Afterwards every alert that got its 202 is on its incident's timeline; only an alert that was
// resent after a 503 may be there more than once (the write was done, its replication not confirmed: the
// resend is counted as a repeat until re-firings are told apart by startsAt, issue 14 item 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sitrep } from '../../src/app.js';
import type { RedisIncidentStore } from '../../src/store/incident-store.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { startSentinelSet, type SentinelSet } from '../helpers/redis-server.js';
import { eventually } from '../helpers/wait.js';
import { genericAlert, INTAKE_RULES, sendHook } from '../alerts/webhooks.js';

const SERVICES = ['checkout', 'payments', 'search'];

let set: SentinelSet;
let h: SlackHarness;
let second: Sitrep;
beforeAll(async () => {
  set = await startSentinelSet();
  const env = {
    ALERT_RULES_FILE: INTAKE_RULES,
    REDIS_SENTINELS: set.sentinels.map((s) => s.address).join(','),
    REDIS_SENTINEL_NAME: set.name,
    // Acknowledged = on the replica too: a master crash right after the 202 loses nothing.
    REDIS_WAIT_REPLICAS: '1',
    REDIS_WAIT_TIMEOUT_MS: '500',
  };
  h = await startSlackHarness(env);
  second = await h.startReplica();
}, 60_000);
afterAll(async () => {
  await second?.stop(2000);
  await h?.stop();
  await set?.stop();
});

/** Fingerprints that were answered 503 at least once before their 202. */
const resent = new Set<string>();

/** Alertmanager's way: resend until sitrep answers 2xx (it backs off; we wait 100 ms). */
async function deliver(bot: Sitrep, alert: Record<string, unknown>): Promise<string> {
  // Generous: on a loaded CI machine Sentinel may take a while to promote and to resync the old master.
  const deadline = Date.now() + 60_000;
  let refused = false;
  for (;;) {
    const res = await sendHook(bot.url, 'generic', alert).catch(() => undefined);
    if (res?.status === 202) {
      const fingerprint = res.json.alerts![0]!.fingerprint;
      if (refused) resent.add(fingerprint);
      return fingerprint;
    }
    refused = true;
    if (res && res.status !== 503) throw new Error(`unexpected ${res.status}: ${res.json.error}`);
    if (Date.now() > deadline) throw new Error('no 202 within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends `count` distinct alerts (spread over the services' incidents) through both bots, 8 at a time. */
async function storm(label: string, count: number, during: () => Promise<void>): Promise<string[]> {
  const acknowledged: string[] = [];
  let next = 0;
  const worker = async (w: number) => {
    while (next < count) {
      const i = next++;
      const alert = genericAlert('Error rate high', { service: SERVICES[i % SERVICES.length]!, pod: `${label}-${i}` });
      acknowledged.push(await deliver(w % 2 ? second : h.sitrep, alert));
    }
  };
  const sending = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
  await new Promise((r) => setTimeout(r, 300));
  await during();
  await sending;
  return acknowledged;
}

/** Every acknowledged fingerprint's alert_fired entries on its incident's timeline, read through the failed-over client. */
async function firedCounts(store: RedisIncidentStore, fingerprints: string[]): Promise<number[]> {
  const incidents = new Map<string, string[]>();
  for (const service of SERVICES) {
    // Right after a master crash the client may still be reconnecting to the promoted replica.
    const id = await eventually(() => store.findByFingerprint(genericFingerprintOf(service)), `the ${service} incident`, 15_000);
    const events = await store.timeline(id);
    incidents.set(id, events.flatMap((e) => (e.type === 'alert_fired' ? [e.fingerprint] : [])));
  }
  const all = [...incidents.values()].flat();
  return fingerprints.map((fp) => all.filter((f) => f === fp).length);
}

function expectAllRecorded(acked: string[], counts: number[]): void {
  expect(new Set(acked).size).toBe(acked.length);
  const lost = acked.filter((_, i) => counts[i] === 0);
  expect(lost).toEqual([]);
  const doubledWithoutResend = acked.filter((fp, i) => counts[i]! > 1 && !resent.has(fp));
  expect(doubledWithoutResend).toEqual([]);
}

const openers = new Map<string, string>();
const genericFingerprintOf = (service: string) => openers.get(service)!;

describe('Sentinel failover: nothing acknowledged is lost or doubled', () => {
  it('opens one incident per service before the master changes', async () => {
    for (const service of SERVICES) openers.set(service, await deliver(h.sitrep, genericAlert('Error rate high', { service, pod: 'first' })));
    await h.settle();
    await second.deps.background.idle();
    for (const service of SERVICES) await eventually(() => h.store.findByFingerprint(openers.get(service)!), `the ${service} incident`, 10_000);
  }, 30_000);

  it('SENTINEL FAILOVER during a storm of alerts: every 202 is recorded, none twice unless resent after a 503', async () => {
    const oldMaster = set.master.port;
    const acked = await storm('manual', 120, async () => {
      const sentinel = set.sentinels[0]!.client();
      await sentinel.call('SENTINEL', 'FAILOVER', set.name);
      await eventually(async () => ((await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', set.name)) as string[])[1] !== String(oldMaster), 'the switch', 15_000);
      sentinel.disconnect();
    });
    expectAllRecorded(acked, await firedCounts(h.store, acked));
  }, 120_000);

  // Sentinel's promotion after a crash takes a variable few seconds on a busy two-core box; one retry with
  // a fresh storm keeps a slow election from failing CI (a lost 202 fails both runs).
  it('the master SIGKILLed during a storm: every 202 is recorded on the promoted replica, none twice unless resent after a 503', { retry: 1, timeout: 150_000 }, async () => {
    const sentinel = set.sentinels[0]!.client();
    const masterPort = Number(((await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', set.name)) as string[])[1]);
    const master = [set.master, set.replica].find((p) => p.port === masterPort)!;
    const acked = await storm('crash', 120, async () => {
      await master.kill();
      await eventually(async () => Number(((await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', set.name)) as string[])[1]) !== masterPort, 'the promotion', 20_000);
      // The crashed master comes back (as an orchestrator restarts it) and Sentinel makes it a replica,
      // so WAIT has a replica to count again.
      await master.restart();
    });
    sentinel.disconnect();
    expectAllRecorded(acked, await firedCounts(h.store, acked));
  });
});
