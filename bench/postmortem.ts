// Drafting the postmortem of a long incident: 10,000 timeline events (notes, captured messages with
// edits, pages, hand-offs, alerts, status changes) over two days, stored through the real Redis store.
// Reading it and drafting the Markdown is measured against its floor in the same run, interleaved
// (bench/floor.ts): a raw XRANGE of the same stream + JSON.parse of each entry. Goal: ≤ 2× the floor.
// Run: `npx tsx bench/postmortem.ts` (REDIS_URL, BENCH_EVENTS override).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { Actor } from '../src/domain/actor.js';
import { incidentIdFor, type Incident } from '../src/domain/incident.js';
import { DEFAULT_SEVERITY_LABELS } from '../src/domain/severity.js';
import type { NewTimelineEvent } from '../src/domain/timeline.js';
import { htmlDocument } from '../src/postmortem/html.js';
import { draftPostmortem, postmortemTitle } from '../src/postmortem/render.js';
import { RedisIncidentStore } from '../src/store/incident-store.js';
import { cleanPrefix } from '../test/helpers/redis.js';
import { interleave, median, reportRatio } from './floor.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
// Rounds vary (1.3–2.2×) with where the young-generation collections land: 21 keep the median steady.
const RUNS = Number(process.env.BENCH_ROUNDS ?? 21);
const GOAL = 2;

const people: Actor[] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => ({ platform: 'slack', id: `U_${name.toUpperCase()}`, name }));
const system: Actor = { platform: 'system', id: 'sitrep', name: 'sitrep' };
const teams = ['team-edge', 'team-checkout', 'team-payments', 'team-db'];
const start = Date.parse('2026-11-24T01:30:00.000Z');
const span = 36 * 3600_000;

function incident(number: number): Incident {
  return {
    id: incidentIdFor(number),
    number,
    title: 'Checkout returns 500 for EU customers',
    severity: 'SEV1',
    highestSeverity: 'SEV1',
    status: 'closed',
    roles: { lead: people[0], comms: people[1], scribe: people[2] },
    declaredBy: people[0]!,
    source: { kind: 'alert', detail: 'alertmanager' },
    affectedServices: ['checkout', 'payments', 'orders-db'],
    alertFingerprints: [],
    pages: [],
    links: [{ label: 'Checkout dashboard', url: 'https://grafana.example/d/checkout?orgId=1&from=now-6h' }],
    resolveSummary: 'Connection pool resized and the orders-db replica rebuilt; checkout recovered.',
    declaredAt: new Date(start).toISOString(),
    resolvedAt: new Date(start + span - 3600_000).toISOString(),
    closedAt: new Date(start + span).toISOString(),
    version: 0,
  };
}

/** A believable mix of events; `i` spreads them evenly over the incident. */
function eventAt(i: number, channel: string): NewTimelineEvent {
  const at = new Date(start + Math.floor((i / EVENTS) * span)).toISOString();
  const actor = people[i % people.length]!;
  const key = `bench:${i}`;
  const ref = { platform: 'slack' as const, channel, ts: `${1795900000 + i}.000100` };
  switch (i % 10) {
    case 0:
      return { type: 'alert_fired', actor: { platform: 'alert', id: 'alertmanager' }, key, at, fingerprint: `fp${i % 40}`, source: 'alertmanager', title: `HighErrorRate ${i % 40}`, count: 1 + (i % 3), service: 'checkout', url: `https://am.example/#/alerts?fp=fp${i % 40}` };
    case 1:
      return { type: 'message_captured', actor, key, at, message: ref, author: people[(i + 1) % people.length]!, text: `p99 is ${200 + (i % 900)} ms on checkout-${i % 7}; see *graph* | retries at ${i % 50}/s\nsecond line`, permalink: `https://acme.slack.com/archives/${channel}/p${1795900000 + i}000100`, files: [], via: 'reaction' };
    case 2:
      return { type: 'message_edited', actor, key, at, message: { ...ref, ts: `${1795900000 + i - 1}.000100` }, text: `p99 is now ${i % 900} ms (edited)`, previousText: 'earlier text' };
    case 3:
      return { type: 'paged', actor: system, key, at, pageId: `pg${i}`, target: { team: teams[i % teams.length], users: [actor] }, level: 1 + (i % 3), provider: 'chat' };
    case 4:
      return { type: 'acknowledged', actor, key, at, pageId: `pg${i - 1}`, team: teams[(i - 1) % teams.length] };
    case 5:
      return { type: 'owner_changed', actor, key, at, fromTeam: teams[(i - 1) % teams.length], toTeam: teams[i % teams.length]!, reason: 'handed over' };
    case 6:
      return { type: 'action_item_added', actor, key, at, actionId: `a${i}`, text: `add an alert on pool saturation for shard ${i % 20}`, owner: people[(i + 2) % people.length] };
    case 7:
      return { type: 'status_changed', actor, key, at, from: 'investigating', to: 'identified', message: 'narrowing down' };
    default:
      return { type: 'note', actor, key, at, text: i % 97 === 0 ? 'this was human error, someone should have known' : `checked replica lag on orders-db-${i % 5}: ${i % 30} s` };
  }
}

async function main(): Promise<void> {
  const prefix = `sitrep-bench:postmortem:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(url, { enableAutoPipelining: true });
  const store = new RedisIncidentStore(redis, prefix);
  try {
    const inc = incident(1);
    const channel = 'C_BENCH';
    await store.create({ ...inc, room: { platform: 'slack', id: channel, name: 'inc-1-checkout-returns-500' } }, [
      { type: 'declared', actor: people[0]!, key: 'declared', at: inc.declaredAt, title: inc.title, severity: 'SEV1', source: 'alertmanager' },
    ]);
    for (let i = 1; i < EVENTS; i += 500) {
      const batch = [];
      for (let j = i; j < Math.min(i + 500, EVENTS); j++) batch.push(eventAt(j, channel));
      await store.append(inc.id, batch);
    }
    const key = store.keys.timeline(inc.id);

    // The floor: what reading the same events costs at all (raw XRANGE + JSON.parse of each entry).
    const readFloor = async (): Promise<number> => {
      const t0 = performance.now();
      const entries = await redis.xrange(key, '-', '+');
      const events = entries.map(([, fields]) => JSON.parse(fields[1]!) as unknown);
      const ms = performance.now() - t0;
      if (events.length !== EVENTS) throw new Error(`read ${events.length} raw entries, expected ${EVENTS}`);
      return ms;
    };
    let markdown = '';
    let html = '';
    let htmlMs = 0;
    let lastTitle = '';
    const readMs: number[] = [];
    const draft = async (): Promise<number> => {
      const t0 = performance.now();
      const [stored, timeline] = await Promise.all([store.get(inc.id), store.timeline(inc.id)]);
      readMs.push(performance.now() - t0);
      markdown = draftPostmortem({ incident: stored!, timeline, severityLabels: DEFAULT_SEVERITY_LABELS, timeZone: 'Europe/Berlin', generatedAt: new Date().toISOString() }).markdown;
      const ms = performance.now() - t0;
      if (timeline.length !== EVENTS) throw new Error(`drafted from ${timeline.length} events, expected ${EVENTS}`);
      lastTitle = postmortemTitle(stored!);
      return ms;
    };
    console.log(`postmortem of a ${EVENTS}-event incident: read + Markdown draft vs raw XRANGE + JSON.parse`);
    reportRatio({
      bench: 'postmortem',
      measure: 'read + Markdown ms',
      unit: 'ms',
      pairs: await interleave({ rounds: RUNS, warmup: 2, floor: readFloor, subject: draft }),
      goal: GOAL,
      kind: 'max',
    });
    // The HTML document is timed once, after the rounds: its garbage is not charged to the next round.
    const t1 = performance.now();
    html = htmlDocument(markdown, lastTitle);
    htmlMs = performance.now() - t1;
    console.log(`  of which the read through the store: median ${median(readMs.slice(-RUNS)).toFixed(0)} ms`);
    console.log(`  HTML document from the Markdown: ${htmlMs.toFixed(1)} ms (once, after the rounds); sizes: Markdown ${(markdown.length / 1024).toFixed(0)} KiB, HTML ${(html.length / 1024).toFixed(0)} KiB`);
  } finally {
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  }
}

await main();
