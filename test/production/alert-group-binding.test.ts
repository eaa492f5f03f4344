// Issue 15 item 3: a Redis blip between storing an alert incident and binding its group to it must not
// give the group a second incident (the sweep used to open INC-2 ~55 s later, INC-1 left open and empty).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRules, groupKey, normalizeGeneric, type NormalizedAlert } from '../../src/alerts/index.js';
import { AlertIntake } from '../../src/incidents/alert-intake.js';
import { RedisAlertGroups } from '../../src/store/alert-groups.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { genericAlert, incidentForAlert } from '../alerts/webhooks.js';
import { RedisPostedAlerts } from '../../src/store/posted-alerts.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h?.stop();
});

const alertOf = (title: string, labels: Record<string, string>): NormalizedAlert => normalizeGeneric(genericAlert(title, labels))[0]!;
const redisBlip = () => new Error('Command timed out');

/** The group store with `bind` failing the first `failures` times, as during a Redis blip. */
function flakyGroups(failures: number, claimTtlMs = 30_000): RedisAlertGroups {
  const groups = new RedisAlertGroups(h.sitrep.redis, h.prefix, { claimTtlMs });
  let left = failures;
  const bind = groups.bind.bind(groups);
  groups.bind = async (...args) => {
    if (left-- > 0) throw redisBlip();
    return bind(...args);
  };
  return groups;
}

const intakeOn = (groups: RedisAlertGroups, declaresAtOnce?: number) =>
  new AlertIntake(h.sitrep.deps, groups, h.sitrep.rooms, AlertRules.parse({ postChannel: 'C_OPS' }), {
    platform: 'slack',
    posted: new RedisPostedAlerts(h.sitrep.redis, h.prefix),
    ...(declaresAtOnce ? { declaresAtOnce } : {}),
  });

async function incidentsTitled(title: string): Promise<number> {
  await h.settle();
  return (await h.store.listOpen()).filter((i) => i.title === title).length;
}

describe('declaring the incidents of a burst of new alert groups', () => {
  it('takes them a few at a time, and a group waiting its turn keeps its claim: one incident each, none adopted as orphaned', async () => {
    // Declarations slowed to 200 ms each with a 300 ms claim: the fourth group waits ~600 ms for its turn.
    const groups = new RedisAlertGroups(h.sitrep.redis, h.prefix, { claimTtlMs: 300 });
    let running = 0;
    let most = 0;
    const inbox = groups.inbox.bind(groups);
    groups.inbox = async (key) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 200));
      running--;
      return inbox(key);
    };
    const intake = intakeOn(groups, 1);
    const firing = ['a', 'b', 'c', 'd'].map((s) => alertOf('Burst 5xx', { service: `burst-${s}` }));
    const outcomes = await Promise.all(firing.map((a) => intake.receive([a])));
    expect(outcomes.flat().map((o) => o.outcome)).toEqual(['declaring', 'declaring', 'declaring', 'declaring']);

    await new Promise((r) => setTimeout(r, 450));
    const bystander = intakeOn(new RedisAlertGroups(h.sitrep.redis, h.prefix, { claimTtlMs: 300 }));
    expect(await bystander.recoverOrphans()).toBe(0);
    for (const a of firing) await incidentForAlert(h, a.fingerprint);
    expect(most).toBe(1);
    expect(await incidentsTitled('Burst 5xx · burst-a')).toBe(1);
    expect((await h.store.listOpen()).filter((i) => i.title.startsWith('Burst 5xx')).length).toBe(4);
  });
});

describe('binding an alert group to its new incident', () => {
  it('a Redis blip while binding is retried under the same claim: one incident, and the next alert joins it', async () => {
    const intake = intakeOn(flakyGroups(2));
    const first = alertOf('Orders 5xx', { service: 'orders', pod: 'a' });
    await intake.receive([first]);
    const incident = await incidentForAlert(h, first.fingerprint);

    const next = await intake.receive([alertOf('Orders 5xx', { service: 'orders', pod: 'b' })]);
    expect(next).toEqual([expect.objectContaining({ outcome: 'recorded', incidentId: incident.id })]);
    expect(await intake.recoverOrphans()).toBe(0);
    expect(await incidentsTitled('Orders 5xx')).toBe(1);
  });

  it('a bot that stored the incident but never bound the group: the bot adopting the group binds that incident instead of opening another', async () => {
    // The first bot's binds all fail (Redis gone for it, then it dies); its claim runs out.
    const dying = intakeOn(flakyGroups(100, 300));
    const first = alertOf('Ledger lag', { service: 'ledger', pod: 'a' });
    await dying.receive([first]);
    const incident = await incidentForAlert(h, first.fingerprint);
    await new Promise((r) => setTimeout(r, 400));

    const survivor = intakeOn(new RedisAlertGroups(h.sitrep.redis, h.prefix, { claimTtlMs: 300 }));
    expect(await survivor.recoverOrphans()).toBe(1);
    await h.settle();
    expect(await incidentsTitled('Ledger lag')).toBe(1);
    const key = groupKey(first, ['alertname', 'service']);
    expect(await h.sitrep.redis.get(`${h.prefix}alertgroup:{ag-${key}}`)).toBe(incident.id);
    const next = await survivor.receive([alertOf('Ledger lag', { service: 'ledger', pod: 'b' })]);
    expect(next).toEqual([expect.objectContaining({ outcome: 'recorded', incidentId: incident.id })]);
  });
});
