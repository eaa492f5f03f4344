import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRules, groupKey, normalizeGeneric, type NormalizedAlert } from '../../src/alerts/index.js';
import type { Incident } from '../../src/domain/incident.js';
import { AlertIntake } from '../../src/incidents/alert-intake.js';
import type { IncidentDeps, TriagePort } from '../../src/incidents/deps.js';
import { RedisAlertGroups } from '../../src/store/alert-groups.js';
import { RedisPostedAlerts } from '../../src/store/posted-alerts.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { genericAlert, incidentForAlert } from './webhooks.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h?.stop();
});

const alertOf = (title: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): NormalizedAlert =>
  normalizeGeneric(genericAlert(title, labels, extra))[0]!;

function intakeWith(rules: Partial<AlertRules>, options: { deps?: IncidentDeps; claimTtlMs?: number; postStaleMs?: number } = {}) {
  const groups = new RedisAlertGroups(h.sitrep.redis, h.prefix, { claimTtlMs: options.claimTtlMs ?? 30_000 });
  const intake = new AlertIntake(options.deps ?? h.sitrep.deps, groups, h.sitrep.rooms, AlertRules.parse({ postChannel: 'C_OPS', ...rules }), {
    platform: 'slack',
    posted: new RedisPostedAlerts(h.sitrep.redis, h.prefix, options.postStaleMs),
  });
  return { groups, intake };
}


async function firedCounts(incident: Incident): Promise<string[]> {
  return (await h.store.timeline(incident.id)).flatMap((e) => (e.type === 'alert_fired' ? [`${e.title}#${e.count}`] : []));
}

describe('claiming an alert group in Redis', () => {
  it('fifty simultaneous alerts of one group: one claims it, the others wait in its inbox, and binding hands all of them over', async () => {
    const { groups } = intakeWith({});
    const alerts = Array.from({ length: 50 }, (_, i) => alertOf('Queue backlog', { service: 'queue', shard: String(i) }));
    const key = groupKey(alerts[0]!, ['alertname', 'service']);
    const joins = await Promise.all(alerts.map((a) => groups.join(key, a, { mayClaim: true })));

    const claims = joins.filter((j) => j.kind === 'claimed');
    expect(claims).toHaveLength(1);
    expect(joins.filter((j) => j.kind === 'queued')).toHaveLength(49);

    const token = claims[0]!.kind === 'claimed' ? claims[0]!.token : '';
    expect(await groups.bind(key, 'someone-else', 'inc-999')).toBeUndefined();
    const handed = await groups.bind(key, token, 'inc-999');
    expect(handed?.map((a) => a.labels.shard).sort()).toEqual(alerts.map((a) => a.labels.shard).sort());
    expect(await groups.join(key, alerts[0]!, { mayClaim: true })).toEqual({ kind: 'incident', incidentId: 'inc-999', tally: { timesFired: 1, stillFiring: 1, refired: true } });
  });

  it('a resolved alert never claims a group, and is dropped only when nothing waits for an incident', async () => {
    const { groups } = intakeWith({});
    const resolved = alertOf('Cache misses', { service: 'cache' }, { status: 'resolved' });
    const key = groupKey(resolved, ['alertname', 'service']);
    expect(await groups.join(key, resolved, { mayClaim: false })).toEqual({ kind: 'none' });
  });

  it('a join that may not claim a new group answers "unbound" and writes nothing, so the budget can be charged first', async () => {
    const { groups } = intakeWith({});
    const alert = alertOf('Disk full', { service: 'ledger' });
    const key = groupKey(alert, ['alertname', 'service']);
    expect(await groups.join(key, alert, { mayClaim: true, claimUnbound: false })).toEqual({ kind: 'unbound' });
    expect(await groups.unbound([key])).toEqual([key]);
    expect((await groups.join(key, alert, { mayClaim: true, claimUnbound: false })).kind).toBe('unbound');
    expect((await groups.join(key, alert, { mayClaim: true })).kind).toBe('claimed');
    // Once claimed (or bound), the group is no longer new: the alert queues whatever claimUnbound says.
    expect(await groups.join(key, alertOf('Disk full', { service: 'ledger', pod: 'b' }), { mayClaim: true, claimUnbound: false })).toEqual({ kind: 'queued' });
  });
});

describe('alert intake rules', () => {
  it('a bot that dies while declaring leaves its group to another bot, with every alert it had accepted', async () => {
    const { groups, intake } = intakeWith({}, { claimTtlMs: 300 });
    const first = alertOf('Payments 5xx', { service: 'payments', pod: 'a' });
    const second = alertOf('Payments 5xx', { service: 'payments', pod: 'b' });
    const key = groupKey(first, ['alertname', 'service']);

    // The dead bot: it claimed the group (and answered 202) but never declared.
    expect((await groups.join(key, first, { mayClaim: true })).kind).toBe('claimed');
    expect(await intake.receive([second])).toEqual([expect.objectContaining({ outcome: 'queued' })]);
    expect(await intake.recoverOrphans()).toBe(0); // the claim is still alive

    await new Promise((r) => setTimeout(r, 400));
    expect(await intake.recoverOrphans()).toBe(1);
    const incident = await incidentForAlert(h, first.fingerprint);
    expect(await firedCounts(incident)).toEqual(['Payments 5xx#1', 'Payments 5xx#1']);
    expect(incident.alertFingerprints.sort()).toEqual([first.fingerprint, second.fingerprint].sort());
    expect(await intake.recoverOrphans()).toBe(0);
  });

  it('with autoResolve, the incident resolves once every one of its alerts has resolved', async () => {
    const { intake } = intakeWith({ autoResolve: true });
    const a = alertOf('Login errors', { service: 'auth', region: 'eu' });
    const b = alertOf('Login errors', { service: 'auth', region: 'us' });
    await intake.receive([a, b]);
    const incident = await incidentForAlert(h, a.fingerprint);

    await intake.receive([{ ...a, status: 'resolved' }]);
    await h.settle();
    expect((await h.store.get(incident.id))?.status).toBe('declared');
    const note = await eventually(() => h.fake.messages(incident.room!.id).find((m) => m.text.startsWith('Alert resolved: Login errors. 1 alert of')));
    expect(note.thread_ts).toBe(incident.room!.cardId);

    await intake.receive([{ ...b, status: 'resolved' }]);
    await h.settle();
    const resolved = await h.store.get(incident.id);
    expect(resolved).toMatchObject({ status: 'resolved', resolveSummary: 'all alerts resolved' });
    expect((await h.store.timeline(incident.id)).filter((e) => e.type === 'alert_resolved')).toHaveLength(2);
  });

  it('with groupByOrigin, symptom alerts from ten services whose traces start in one service become one incident owned by its team', async () => {
    const triage: TriagePort = {
      traceUrl: (traceId) => `https://jaeger.example/trace/${traceId}`,
      run: async () => ({ outcome: 'ok', summary: 'the failure starts in ledger-db (owned by team-ledger)', team: 'team-ledger', service: 'ledger-db', alternatives: [] }),
    };
    const { intake } = intakeWith({ groupByOrigin: true }, { deps: { ...h.sitrep.deps, triage } });
    const services = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    const alerts = services.map((service, i) => alertOf(`${service} errors`, { service }, { traceId: `${String(i).padStart(2, '0')}${'a'.repeat(30)}` }));
    const outcomes = await intake.receive(alerts);
    // The others wait for the incident being declared, or join it once it is (declaring no longer waits for the room).
    expect(outcomes[0]?.outcome).toBe('declaring');
    for (const o of outcomes.slice(1)) expect(['queued', 'recorded']).toContain(o.outcome);

    const incident = await incidentForAlert(h, alerts[0]!.fingerprint);
    await eventually(async () => (await h.store.get(incident.id))?.suspectedOwner?.team === 'team-ledger', 'triage to name the owner');
    const final = (await h.store.get(incident.id))!;
    expect(final.suspectedOwner).toEqual({ team: 'team-ledger', via: 'triage' });
    expect(final.affectedServices).toEqual(expect.arrayContaining([...services, 'ledger-db']));
    expect(await firedCounts(final)).toHaveLength(10);
  });
});

describe('posting an alert survives the bot that claimed it', () => {
  const STALE_MS = 300;
  const postsOf = (device: string) => h.fake.messages('C_OPS').filter((m) => m.text.includes(`device=${device}`));

  it('a bot that died between claiming a post and sending it: a re-notification after the claim went stale posts it, once across two replicas', async () => {
    const disk = alertOf('Disk filling', { severity: 'warning', device: 'nvme1', instance: 'db-3' });
    // The dying bot got as far as the claim.
    expect(await new RedisPostedAlerts(h.sitrep.redis, h.prefix, STALE_MS).claim(disk, 'C_OPS')).toBe(true);

    const [a, b] = [intakeWith({}, { postStaleMs: STALE_MS }).intake, intakeWith({}, { postStaleMs: STALE_MS }).intake];
    // While the claim is fresh its owner may still be posting: a re-notification is a repeat.
    expect((await a.receive([disk]))[0]).toMatchObject({ action: 'post', outcome: 'repeat' });
    await new Promise((r) => setTimeout(r, STALE_MS + 100));

    const outcomes = (await Promise.all([a.receive([disk]), b.receive([disk])])).flat().map((o) => o.outcome);
    expect(outcomes.sort()).toEqual(['posted', 'repeat']);
    await h.settle();
    expect(postsOf('nvme1')).toHaveLength(1);

    // Posted now: later re-notifications stay repeats, however old the claim.
    await new Promise((r) => setTimeout(r, STALE_MS + 100));
    expect((await b.receive([disk]))[0]).toMatchObject({ outcome: 'repeat' });
    expect(await a.retryStalePosts()).toBe(0);
    await h.settle();
    expect(postsOf('nvme1')).toHaveLength(1);
  });

  it('a post chat refused stays pending and is posted by the sweep once chat is back, by one of two replicas', async () => {
    const disk = alertOf('Disk filling', { severity: 'warning', device: 'sdb', instance: 'db-9' });
    const [a, b] = [intakeWith({}, { postStaleMs: STALE_MS }).intake, intakeWith({}, { postStaleMs: STALE_MS }).intake];
    h.fake.failNext('chat.postMessage', 'fatal_error', { times: 1 });
    expect((await a.receive([disk]))[0]).toMatchObject({ outcome: 'posted' });
    await h.settle();
    expect(postsOf('sdb')).toHaveLength(0);

    // Not stale yet: the sweep leaves it to its claimer.
    expect(await b.retryStalePosts()).toBe(0);
    await new Promise((r) => setTimeout(r, STALE_MS + 100));
    const taken = await Promise.all([a.retryStalePosts(), b.retryStalePosts()]);
    expect(taken.sort()).toEqual([0, 1]);
    await h.settle();
    expect(postsOf('sdb')).toHaveLength(1);
    expect((await a.receive([disk]))[0]).toMatchObject({ outcome: 'repeat' });
  });
});
