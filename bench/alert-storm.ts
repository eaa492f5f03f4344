// An alert storm: 10,000 webhooks across 50 alert groups at concurrency 100, spread over two bot
// processes (src/main.ts, as in production) on one Redis, against one fake Slack.
// Prints incidents created (must be exactly 50), alerts recorded (must be all), p50/p99 latency, how long
// until the last of the storm's rooms had its pinned card, requests/s in all and per replica, and each
// replica's RSS (idle after warm-up, and its peak during the storm): the sizing figures in README.md →
// Deploying come from here. BENCH_ROUNDS=1 keeps the storm in one piece, so none of the rooms' work
// falls between rounds.
// The floor is measured in the same run, in interleaved rounds: as many bare node:http processes
// (bench/floors/webhook-server.ts) that parse the same JSON and make one Redis round trip.
// Goals: p99 < 50 ms, and p99 ≤ 3× the floor's p99. Run: `npx tsx bench/alert-storm.ts`
// (BENCH_ALERTS, BENCH_GROUPS, BENCH_CONCURRENCY, BENCH_ROUNDS, BENCH_BOTS — replicas, default 2 — override;
// BENCH_PROF=<dir> profiles the bots; BENCH_BOT_FLAGS passes node flags to them, e.g. --trace-opt).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { interleave, median, percentile, reportRatio } from './floor.js';
import { FakeSlack } from '../test/fakes/slack/server.js';
import { cleanPrefix } from '../test/helpers/redis.js';
import { freePort } from '../test/helpers/ports.js';

const TOTAL = Number(process.env.BENCH_ALERTS ?? 10_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BOTS = Number(process.env.BENCH_BOTS ?? 2);
const TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WARMUP_GROUPS = 10;
const STORM_EPOCH = Date.now() - 24 * 3600 * 1000;

/** The sender has a thread of its own, so the fake Slack's work here never delays what it measures. */
const SENDER = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const agents = new Map();
function send(url, body, retried = false) {
  if (!agents.has(url.port)) agents.set(url.port, new http.Agent({ keepAlive: true, maxSockets: workerData.concurrency }));
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ agent: agents.get(url.port), host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: {
      'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer ' + workerData.token } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    // A keep-alive socket the server closed as it was reused: resend once, as Alertmanager would retry.
    req.on('error', (err) => (retried ? reject(err) : send(url, body, true).then(resolve, reject)));
    req.end(body);
  });
}
/** Sends every body, round-robin over the processes' URLs, \`concurrency\` at a time. */
async function run(urls, bodies) {
  const targets = urls.map((u) => new URL(u));
  let next = 0;
  const results = new Array(bodies.length);
  await Promise.all(Array.from({ length: workerData.concurrency }, async () => {
    while (next < bodies.length) {
      const i = next++;
      results[i] = await send(targets[i % targets.length], bodies[i]);
    }
  }));
  return results;
}
parentPort.on('message', async ({ id, urls, bodies }) => {
  const started = process.hrtime.bigint();
  const results = await run(urls, bodies);
  parentPort.postMessage({ id, results, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
});
`;

/** Resident memory of a process in MB (Linux /proc), 0 where it cannot be read. */
function rssMb(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Redis's own CPU time so far, in ms (it serves sitrep and the floor alike). */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const used = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (used('used_cpu_user') + used('used_cpu_sys')) * 1000;
}

/**
 * CPU spent per request by the servers and by Redis over one round: what a webhook costs whatever else
 * runs on the machine (latency at a fixed concurrency follows from it, and it is what sizing needs).
 */
async function cpuPerRequest<T>(pids: (number | undefined)[], redis: Redis, requests: number, run: () => Promise<T>): Promise<{ result: T; server: number; sender: number; redis: number }> {
  const before = [...pids, process.pid].map(cpuMs);
  const redisBefore = await redisCpuMs(redis);
  const result = await run();
  const server = pids.reduce<number>((sum, pid, k) => sum + cpuMs(pid) - before[k]!, 0) / requests;
  const sender = (cpuMs(process.pid) - before[pids.length]!) / requests;
  return { result, server, sender, redis: ((await redisCpuMs(redis)) - redisBefore) / requests };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Starts one process of `script` (a bot, or the floor's bare server) and waits until it answers. */
async function startProcess(script: string, env: Record<string, string>, profile: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // A loaded machine takes a while to load sitrep through tsx: give it two minutes.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`a ${script} process did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}/hooks/generic`, child };
}

const startBot = (env: Record<string, string>) =>
  startProcess('src/main.ts', env, [...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), ...(process.env.BENCH_BOT_FLAGS?.split(' ').filter(Boolean) ?? [])]);

type Sent = { results: { status: number; ms: number }[]; seconds: number };

/** The sender thread: sends a batch of bodies to some processes and hands back each request's status and time. */
class Sender {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, (sent: Sent) => void>();
  private readonly failing = new Map<number, (err: Error) => void>();

  constructor() {
    this.worker = new Worker(SENDER, { eval: true, workerData: { token: TOKEN, concurrency: CONCURRENCY } });
    this.worker.on('message', (m: Sent & { id: number }) => {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
      this.failing.delete(m.id);
    });
    // A sender that fails ends the benchmark through main's finally (which stops the processes), not a crash.
    this.worker.on('error', (err) => {
      for (const fail of this.failing.values()) fail(err);
      this.waiting.clear();
      this.failing.clear();
    });
  }

  send(urls: string[], bodies: string[]): Promise<Sent> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, resolve);
      this.failing.set(id, reject);
      this.worker.postMessage({ id, urls, bodies });
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/** One webhook: group g's alert, from one of a few pods (so each group has several fingerprints). */
function webhook(name: string, i: number, groups = GROUPS): string {
  const g = i % groups;
  // A startsAt of its own per webhook: each is a re-firing that sitrep records (a re-notification would only be answered "repeat").
  const startsAt = new Date(STORM_EPOCH + i * 1000).toISOString();
  return JSON.stringify({ title: `${name} ${g}`, startsAt, labels: { service: `svc-${g}`, severity: 'critical', pod: `pod-${Math.floor(i / groups) % 5}` } });
}

async function incidentSeq(redis: Redis, prefix: string): Promise<number> {
  return Number((await redis.get(`${prefix}incident:seq`)) ?? 0);
}

/** Waits until `expected` incidents exist and all have their pinned card (or two minutes passed). */
async function allCardsPinned(redis: Redis, prefix: string, expected: number, everyMs = 100): Promise<{ incidents: number; withCard: number }> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const incidents = await incidentSeq(redis, prefix);
    const cards = await Promise.all(
      Array.from({ length: incidents }, (_, n) => redis.hget(`${prefix}{inc-${n + 1}}:incident`, 'data').then((d) => Boolean(d && JSON.parse(d).room?.cardId))),
    );
    const withCard = cards.filter(Boolean).length;
    if ((incidents >= expected && withCard === incidents) || Date.now() > deadline) return { incidents, withCard };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Alert firings counted on incidents across every group, once `expected` are (alerts queued during a declaration are counted right after it), or after ten seconds. */
async function recordedAlerts(redis: Redis, prefix: string, expected: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    let recorded = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}alertgroup:*:fired`, 'COUNT', 1000);
      cursor = next;
      // Count fields only: `<incident>|<fp>|s` holds the startsAt last counted.
      for (const key of keys) recorded += Object.entries(await redis.hgetall(key)).reduce((sum, [f, c]) => (f.endsWith('|s') ? sum : sum + Number(c)), 0);
    } while (cursor !== '0');
    if (recorded >= expected || Date.now() > deadline) return recorded;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const fake = await FakeSlack.start();
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-storm-'));
  const rules = join(dir, 'alert-rules.yaml');
  // Warm-up alerts go through auth, parsing and routing, and are ignored: they open nothing.
  await writeFile(rules, `routes:\n  - match: ['bench="warmup"']\n    action: ignore\nsources:\n  generic:\n    bearerToken: \${BENCH_ALERT_TOKEN}\n`);
  const prefix = `sitrep-bench:${randomBytes(3).toString('hex')}:`;
  const env = { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 'bench-signing-secret', SLACK_API_URL: fake.apiUrl, REDIS_URL, REDIS_KEY_PREFIX: prefix, ALERT_RULES_FILE: rules, BENCH_ALERT_TOKEN: TOKEN,
    // 60 groups open within the minute: above the default per-source limit, which is not what is measured here.
    ALERT_INCIDENTS_PER_MINUTE: '1000' };
  const children: ChildProcess[] = [];
  // However this process ends, the bots and floor servers it started end with it.
  process.once('exit', () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM')));
  const redis = new Redis(REDIS_URL);
  const sender = new Sender();
  try {
    // The bots (two by default, as in production) and as many floor processes: the same layout.
    const bots = await Promise.all(Array.from({ length: BOTS }, () => startBot(env)));
    const floors = await Promise.all(Array.from({ length: BOTS }, () => startProcess('bench/floors/webhook-server.ts', env)));
    children.push(...bots.map((b) => b.child), ...floors.map((f) => f.child));
    const botUrls = bots.map((b) => b.url);
    const floorUrls = floors.map((f) => f.url);

    // Warm-up: the same path (ignored alerts, and a few groups of their own), so the storm meets warm
    // bots as in production; its incidents are not counted. The floor gets as many requests. 10,000 joining
    // webhooks, not fewer: after 2,000, `--trace-opt` still showed V8 optimizing ~190 functions of the
    // per-webhook path (HTTP parser callbacks, fingerprints, Redis reply decoding) for the first time
    // during the storm's first round, which then measured the JIT's tier-up rather than sitrep.
    const warmup = [
      ...Array.from({ length: 1000 }, (_, i) => JSON.stringify({ title: `warm-up ${i}`, labels: { bench: 'warmup' } })),
      ...Array.from({ length: 10_000 }, (_, i) => webhook('Warm-up', i, WARMUP_GROUPS)),
    ];
    await sender.send(botUrls, warmup);
    await sender.send(floorUrls, warmup);
    await allCardsPinned(redis, prefix, WARMUP_GROUPS);
    const warmAlerts = warmup.length - 1000;
    const warm = { incidents: await incidentSeq(redis, prefix), recorded: await recordedAlerts(redis, prefix, warmAlerts) };

    // The storm in rounds, floor and sitrep in turn: each sitrep round re-fires the same groups (the first
    // also opens their incidents); each floor round gets the same bodies.
    const perRound = Math.ceil(TOTAL / ROUNDS);
    const bodiesOf = (r: number) => Array.from({ length: Math.max(0, Math.min(perRound, TOTAL - r * perRound)) }, (_, k) => webhook('Storm', r * perRound + k));
    const p99 = (sent: Sent) => percentile(sent.results.map((r) => r.ms), 99);
    const all: Sent['results'] = [];
    let seconds = 0;
    let round = 0;
    let floorRound = 0;
    let roomsOpened: Promise<number> | undefined;
    const idleRss = bots.map((b) => rssMb(b.child.pid));
    const peakRss = [...idleRss];
    const sampler = setInterval(() => bots.forEach((b, k) => (peakRss[k] = Math.max(peakRss[k]!, rssMb(b.child.pid)))), 100);
    type Cpu = { server: number; sender: number; redis: number };
    const cpu = { floor: [] as Cpu[], sitrep: [] as Cpu[] };
    const pairs = await interleave({
      rounds: ROUNDS,
      warmup: 0,
      floor: async () => {
        const bodies = bodiesOf(floorRound++);
        const { result: sent, ...used } = await cpuPerRequest(floors.map((f) => f.child.pid), redis, bodies.length, () => sender.send(floorUrls, bodies));
        cpu.floor.push(used);
        return p99(sent);
      },
      subject: async () => {
        const bodies = bodiesOf(round++);
        // The storm's rooms: how long after its first webhook the last of its incidents had a pinned card.
        if (round === 1) {
          const began = performance.now();
          roomsOpened = allCardsPinned(redis, prefix, warm.incidents + GROUPS, 25).then(() => (performance.now() - began) / 1000);
        }
        const { result: sent, ...used } = await cpuPerRequest(bots.map((b) => b.child.pid), redis, bodies.length, () => sender.send(botUrls, bodies));
        cpu.sitrep.push(used);
        all.push(...sent.results);
        seconds += sent.seconds;
        return p99(sent);
      },
    });
    clearInterval(sampler);
    if (process.env.BENCH_SLACK_CALLS) {
      const byMethod = new Map<string, number>();
      for (const c of fake.calls) byMethod.set(c.method, (byMethod.get(c.method) ?? 0) + 1);
      console.log('  Slack calls:', JSON.stringify(Object.fromEntries(byMethod)));
    }
    const refused = all.filter((r) => r.status !== 202);
    if (refused.length) throw new Error(`${refused.length} webhooks were not accepted with 202 (first: ${refused[0]!.status})`);

    // The rooms open in the background: wait until every incident has its pinned card.
    const { incidents: total, withCard } = await allCardsPinned(redis, prefix, warm.incidents + GROUPS);
    const incidents = total - warm.incidents;
    // Nothing lost: every webhook's alert is counted on some incident.
    const recorded = (await recordedAlerts(redis, prefix, warm.recorded + TOTAL)) - warm.recorded;

    const ms = all.map((r) => r.ms).sort((a, b) => a - b);
    console.log(`alert-storm: ${TOTAL} webhooks in ${ROUNDS} rounds, ${GROUPS} groups, concurrency ${CONCURRENCY}, ${BOTS} bot process(es), one Redis`);
    console.log(`  incidents created: ${incidents} (expected exactly ${GROUPS}), ${withCard - warm.incidents} with a pinned card`);
    console.log(`  alerts recorded on incidents: ${recorded} of ${TOTAL}`);
    console.log(`  latency: p50 ${pct(ms, 50).toFixed(1)} ms, p99 ${pct(ms, 99).toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms (goal p99 < 50 ms): ${pct(ms, 99) < 50 ? 'ok' : 'MISSED'}`);
    console.log(`  p99 per round: sitrep ${pairs.map((p) => p.subject.toFixed(1)).join(', ')} ms; floor ${pairs.map((p) => p.floor.toFixed(1)).join(', ')} ms`);
    console.log(`  rooms: the last of the storm's ${GROUPS} had its pinned card ${(await roomsOpened!).toFixed(2)} s after the storm's first webhook`);
    console.log(`  throughput: ${(TOTAL / seconds).toFixed(0)} requests/s (${seconds.toFixed(2)} s), ${(TOTAL / seconds / BOTS).toFixed(0)} per replica`);
    // After the first round (it opens the incidents): the steady cost of a joining alert.
    const steady = (rows: Cpu[], k: keyof Cpu) => median(rows.slice(1).map((r) => r[k]));
    console.log(
      `  CPU per webhook (median of rounds 2–${ROUNDS}): sitrep ${steady(cpu.sitrep, 'server').toFixed(2)} ms + Redis ${steady(cpu.sitrep, 'redis').toFixed(2)} ms; ` +
        `floor ${steady(cpu.floor, 'server').toFixed(2)} ms + Redis ${steady(cpu.floor, 'redis').toFixed(2)} ms; ` +
        `round 1 (opens the incidents; some of their rooms open after it) sitrep ${cpu.sitrep[0]!.server.toFixed(2)} ms + Redis ${cpu.sitrep[0]!.redis.toFixed(2)} ms + the fake Slack and sender ${cpu.sitrep[0]!.sender.toFixed(2)} ms; ` +
        `the sender and fake Slack (this process) ${steady(cpu.floor, 'sender').toFixed(2)} ms with the floor, ${steady(cpu.sitrep, 'sender').toFixed(2)} ms with sitrep`,
    );
    console.log(`  RSS per replica: ${idleRss.map((r) => r.toFixed(0)).join(', ')} MB idle after warm-up; peak during the storm ${peakRss.map((r) => r.toFixed(0)).join(', ')} MB`);
    reportRatio({ bench: 'alert-storm', measure: 'webhook p99', unit: 'ms', pairs, goal: 3, kind: 'max' });
    if (incidents !== GROUPS || recorded !== TOTAL || withCard !== total) process.exitCode = 1;
  } finally {
    await sender.stop();
    await Promise.all(
      children.map((child) => {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        return exited;
      }),
    );
    await fake.stop();
    await cleanPrefix(redis, prefix);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
