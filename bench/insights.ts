// Insights over many incidents, through the real Redis store:
//  1. `reindex` of 10,000 closed incidents with 200 timeline events each (goal < 60 s), slice by slice,
//     each slice interleaved with its floor: a raw XRANGE of the same timelines;
//  2. a 90-day report (every measure, per team/service/severity, weekly trend, MTBF) over those
//     10,000 summaries, read from Redis and computed (goal < 300 ms; median of interleaved rounds),
//     against its floor: the same summaries fetched raw and JSON.parse'd.
// Run: `npx tsx bench/insights.ts` (REDIS_URL, BENCH_INCIDENTS, BENCH_EVENTS override). Uses a prefix of
// its own and deletes it afterwards.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { Actor } from '../src/domain/actor.js';
import { incidentIdFor, type Incident } from '../src/domain/incident.js';
import { SEVERITIES } from '../src/domain/severity.js';
import type { NewTimelineEvent } from '../src/domain/timeline.js';
import { DEFAULT_CONCURRENCY, reindex } from '../src/insights/reindex.js';
import { InsightsQuery } from '../src/insights/report.js';
import { Insights } from '../src/insights/service.js';
import { RedisIncidentStore } from '../src/store/incident-store.js';
import { RedisIncidentSummaries } from '../src/store/incident-summaries.js';
import { RedisSummarySource } from '../src/store/summary-source.js';
import { cleanPrefix } from '../test/helpers/redis.js';
import { interleave, median, reportRatio } from './floor.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const RUNS = 7;
/** Reindex is measured slice by slice, each slice right after its floor over the same incidents. */
const SLICE = 1000;
const IN_FLIGHT = DEFAULT_CONCURRENCY;
const now = Date.parse('2026-11-30T12:00:00.000Z');
const DAY = 86_400_000;

const people: Actor[] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => ({ platform: 'slack', id: `U_${name.toUpperCase()}`, name }));
const system: Actor = { platform: 'system', id: 'sitrep', name: 'sitrep' };
const alert: Actor = { platform: 'alert', id: 'alertmanager', name: 'alertmanager' };
const teams = ['team-edge', 'team-checkout', 'team-payments', 'team-db', 'team-search', 'team-identity'];
const services = ['checkout', 'payments', 'orders-db', 'search', 'login', 'edge-proxy', 'catalog', 'inventory'];

/** Deterministic pseudo-random numbers, so every run measures the same data. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function story(number: number): { incident: Incident; events: NewTimelineEvent[] } {
  const r = rng(number);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const declared = now - Math.floor(r() * 89 * DAY) - DAY; // spread over the last 90 days
  const resolveAfter = 10 * 60_000 + Math.floor(r() * 5 * 3600_000);
  const at = (offset: number) => new Date(declared + offset).toISOString();
  const fromAlert = r() < 0.6;
  const service = pick(services);
  const chain = [pick(teams), ...(r() < 0.4 ? [pick(teams)] : []), ...(r() < 0.15 ? [pick(teams)] : [])];
  const severity = pick(SEVERITIES);
  const events: NewTimelineEvent[] = [{ type: 'declared', actor: fromAlert ? alert : people[0]!, key: 'd', title: `${service} errors`, severity, source: fromAlert ? 'alertmanager' : 'slack', at: at(0) }];
  const step = resolveAfter / EVENTS;
  chain.forEach((team, i) => events.push({ type: 'owner_changed', actor: system, key: `o${i}`, fromTeam: chain[i - 1], toTeam: team, at: at(Math.floor(step * (2 + i * 10))) }));
  const paged = r() < 0.8;
  if (paged) events.push({ type: 'paged', actor: system, key: 'p', pageId: 'pg', target: { team: chain[0]!, users: [people[1]!] }, level: 0, provider: 'chat', at: at(Math.floor(step)) });
  if (paged && r() < 0.2) events.push({ type: 'escalated', actor: system, key: 'e', pageId: 'pg', fromLevel: 0, toLevel: 1, reason: 'timeout', exhausted: false, at: at(Math.floor(step * 5)) });
  if (paged && r() < 0.9) events.push({ type: 'acknowledged', actor: people[1]!, key: 'ack', pageId: 'pg', team: chain[0], at: at(Math.floor(step * 8)) });
  for (let i = events.length; events.length < EVENTS - 4; i++) {
    const t = at(Math.floor(step * (10 + ((i * 7) % (EVENTS - 14)))));
    const actor = people[i % people.length]!;
    if (i % 5 === 0) events.push({ type: 'alert_fired', actor: alert, key: `a${i}`, fingerprint: `fp${i % 7}`, source: 'alertmanager', title: `High error rate on ${service}`, count: 1, service, at: t });
    else if (i % 5 === 1) events.push({ type: 'message_captured', actor, key: `c${i}`, message: { platform: 'slack', channel: `C${number}`, ts: `${1795900000 + i}.000100` }, author: actor, text: `p99 on ${service} is ${i} ms, connection pool at ${i % 100} %`, files: [], via: 'reaction', at: t });
    else events.push({ type: 'note', actor, key: `n${i}`, text: `Checked ${service} dashboards (${i}); rolling back the last deploy of ${service}.`, at: t });
  }
  events.push(
    { type: 'status_changed', actor: people[0]!, key: 'm', from: 'investigating', to: 'monitoring', at: at(Math.floor(resolveAfter * 0.8)) },
    { type: 'status_changed', actor: people[0]!, key: 'r:s', from: 'monitoring', to: 'resolved', at: at(resolveAfter) },
    { type: 'resolved', actor: people[0]!, key: 'r', at: at(resolveAfter) },
    { type: 'closed', actor: people[0]!, key: 'c', at: at(resolveAfter + 3600_000) },
  );
  const incident: Incident = {
    id: incidentIdFor(number),
    number,
    title: `${service} errors`,
    severity,
    highestSeverity: severity,
    status: 'closed',
    roles: { lead: people[0] },
    declaredBy: people[0]!,
    source: { kind: fromAlert ? 'alert' : 'command', detail: fromAlert ? 'alertmanager' : 'slack' },
    affectedServices: r() < 0.5 ? [service, pick(services)] : [service],
    suspectedOwner: { team: chain.at(-1)!, via: 'handoff' },
    alertFingerprints: [],
    pages: [],
    links: [],
    declaredAt: at(0),
    resolvedAt: at(resolveAfter),
    closedAt: at(resolveAfter + 3600_000),
    version: 0,
  };
  return { incident, events };
}

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await work();
  return performance.now() - t;
};

/** Runs `work` for incidents first..last with IN_FLIGHT of them at a time. */
async function inFlight(first: number, last: number, work: (n: number) => Promise<unknown>): Promise<void> {
  let next = first;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => { while (next <= last) await work(next++); }));
}
const ms = (x: number) => `${x.toFixed(0)} ms`;

const redis = new Redis(url, { enableAutoPipelining: true });
const prefix = `sitrep-bench:insights:${randomBytes(4).toString('hex')}:`;
try {
  const store = new RedisIncidentStore(redis, prefix);
  const summaries = new RedisIncidentSummaries(redis, prefix);

  const started = performance.now();
  for (let n = 1; n <= INCIDENTS; n += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, INCIDENTS - n + 1) }, async (_, i) => {
        const { incident, events } = story(n + i);
        await store.create(incident, events.slice(0, 1));
        await store.append(incident.id, events.slice(1));
      }),
    );
  }
  await redis.set(store.keys.incidentSeq, String(INCIDENTS));
  console.log(`wrote ${INCIDENTS} closed incidents × ${EVENTS} events in ${((performance.now() - started) / 1000).toFixed(1)} s (setup, not measured)`);

  // Reindex, interleaved slice by slice with its floor: a raw XRANGE of the same slice's timelines
  // (what any rebuild from the timelines must at least read), same number of reads in flight.
  const source = new RedisSummarySource(redis, prefix);
  const slice = Math.min(SLICE, INCIDENTS);
  let floorFirst = 1;
  let subjectFirst = 1;
  let written = 0;
  const cpu = process.cpuUsage();
  const reindexPairs = await interleave({
    rounds: Math.ceil(INCIDENTS / slice),
    warmup: 0,
    floor: async () => {
      const first = floorFirst;
      floorFirst += slice;
      return timed(() => inFlight(first, Math.min(first + slice - 1, INCIDENTS), (n) => redis.xrange(store.keys.timeline(incidentIdFor(n)), '-', '+')));
    },
    subject: async () => {
      const first = subjectFirst;
      subjectFirst += slice;
      return timed(async () => {
        const result = await reindex(source, summaries, Math.min(first + slice - 1, INCIDENTS), { first, concurrency: IN_FLIGHT });
        if (result.failed.length) throw new Error(`reindex failed: ${JSON.stringify(result.failed.slice(0, 3))}`);
        written += result.written;
      });
    },
  });
  const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu));
  if (written !== INCIDENTS) throw new Error(`reindex summarised ${written} of ${INCIDENTS}`);
  const reindexMs = reindexPairs.reduce((sum, p) => sum + p.subject, 0);
  const floorMs = reindexPairs.reduce((sum, p) => sum + p.floor, 0);
  // CPU time beside wall time: on a shared machine the wall time mostly measures the neighbours.
  console.log(
    `reindex of ${INCIDENTS} incidents × ${EVENTS} events: ${(reindexMs / 1000).toFixed(1)} s (goal < 60 s) ${reindexMs < 60_000 ? 'OK' : 'SLOW'}; ` +
      `raw XRANGE of the same timelines ${(floorMs / 1000).toFixed(1)} s; bench process CPU (both) ${(cpuMs / 1000).toFixed(1)} s`,
  );
  reportRatio({ bench: 'insights', measure: `reindex, ${slice} incidents × ${EVENTS} events`, unit: 'ms', pairs: reindexPairs, goal: 1.5, kind: 'max', goalBy: 'ours' });

  // The report, interleaved with its floor: the same summaries fetched raw and JSON.parse'd, nothing computed.
  const insights = new Insights(summaries);
  const query = InsightsQuery.parse({ from: new Date(now - 90 * DAY), to: new Date(now), bucket: 'week', timeZone: 'Europe/Berlin' });
  let incidents = 0;
  let reportCpu = 0;
  const reportPairs = await interleave({
    rounds: RUNS,
    warmup: 1,
    floor: () =>
      timed(async () => {
        const ids = await redis.zrangebyscore(summaries.keys.insightsByTime, query.from.getTime(), `(${query.to.getTime()}`);
        const values = await redis.hmget(summaries.keys.insightsSummary, ...ids);
        for (const json of values) if (json) JSON.parse(json);
      }),
    subject: () =>
      timed(async () => {
        const c = process.cpuUsage();
        incidents = (await insights.report(query)).incidents;
        reportCpu = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(c));
      }),
  });
  const reportMs = median(reportPairs.map((p) => p.subject));
  console.log(`90-day report over ${incidents} incidents: median ${ms(reportMs)} (goal < 300 ms) ${reportMs < 300 ? 'OK' : 'SLOW'}; CPU of the last ${ms(reportCpu)}`);
  reportRatio({ bench: 'insights', measure: `90-day report, ${incidents} incidents`, unit: 'ms', pairs: reportPairs, goal: 2, kind: 'max', goalBy: 'ours' });
  const teamTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) teamTimes.push(await timed(() => insights.report({ ...query, team: 'team-db' })));
  console.log(`90-day report for one team: median ${ms(median(teamTimes))}`);
} finally {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
}
