// 500 `/incident <title>` declarations at concurrency 20 against the fake Slack, through the real bot
// (Bolt HTTP receiver, real Redis). Prints time to acknowledge and command → pinned card, p50/p99.
// Goals on a 2-core machine: ack p99 < 50 ms; card p99 < 300 ms.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';
import { Worker } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { FakeSlack } from '../test/fakes/slack/server.js';
import { cleanPrefix } from '../test/helpers/redis.js';
import { freePort } from '../test/helpers/ports.js';

/**
 * The sender runs on its own thread so the acks it measures are not delayed by the fake Slack's work
 * on this thread: three event loops, like Slack → bot → Slack Web API in real life.
 */
const SENDER = `
const { workerData, parentPort } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.concurrency });
const url = new URL(workerData.url);
function send(body) {
  return new Promise((resolve, reject) => {
    const ts = Math.floor(Date.now() / 1000);
    const sig = 'v0=' + createHmac('sha256', workerData.secret).update('v0:' + ts + ':' + body).digest('hex');
    const t0 = process.hrtime.bigint();
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: {
      'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body),
      'x-slack-request-timestamp': ts, 'x-slack-signature': sig } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
// A declaration is in flight until the main thread sees its card pinned.
const waiting = new Map();
parentPort.on('message', (i) => { waiting.get(i)?.(); waiting.delete(i); });
(async () => {
  let next = 0;
  const results = [];
  await Promise.all(Array.from({ length: workerData.concurrency }, async () => {
    while (next < workerData.bodies.length) {
      const i = next++;
      const pinned = new Promise((r) => waiting.set(i, r));
      const sentAt = Date.now();
      const r = await send(workerData.bodies[i]);
      results.push({ i, sentAt, ...r });
      parentPort.postMessage({ sent: i });
      await pinned;
    }
  }));
  parentPort.postMessage({ results });
  parentPort.close();
})();
`;

const TOTAL = Number(process.env.BENCH_DECLARES ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

const SECRET = 'bench-signing-secret';

/** The bot runs in its own process, as in production; the fake Slack and the driver run here. */
async function main() {
  const fake = await FakeSlack.start();
  const port = await freePort();
  const prefix = `sitrep-bench:${randomBytes(3).toString('hex')}:`;
  const bot = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port), HOST: '127.0.0.1', REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const h = { fake };
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 200) throw new Error('bot did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    const slugs = Array.from({ length: TOTAL }, (_, i) => `bench-incident-${i}`);
    const bodies = slugs.map((text) =>
      stringify({
        team_id: 'T_FAKE',
        channel_id: 'C_GENERAL',
        channel_name: 'general',
        user_id: 'U_ALICE',
        user_name: 'alice',
        command: '/incident',
        text,
        response_url: fake.workspace.issueResponseUrl({ channelId: 'C_GENERAL', userId: 'U_ALICE' }).url,
        trigger_id: fake.workspace.issueTrigger('U_ALICE'),
      }),
    );
    const wallStart = performance.now();
    const results = await new Promise<{ i: number; sentAt: number; status: number; ms: number }[]>((resolve, reject) => {
      const worker = new Worker(SENDER, { eval: true, workerData: { url: `http://127.0.0.1:${port}/slack/events`, secret: SECRET, concurrency: CONCURRENCY, bodies } });
      const pending = new Set<number>();
      let seenPins = 0;
      const created = new Map<string, number>();
      const watch = setInterval(() => {
        const pins = fake.callsTo('pins.add');
        for (; seenPins < pins.length; seenPins++) {
          const channel = String(pins[seenPins]!.args.channel);
          const name = fake.channel(channel)?.name ?? '';
          const i = Number(/bench-incident-(\d+)$/.exec(name)?.[1]);
          if (pending.delete(i)) worker.postMessage(i);
          created.set(name, i);
        }
      }, 2);
      worker.on('message', (m: { sent?: number; results?: { i: number; sentAt: number; status: number; ms: number }[] }) => {
        if (m.sent !== undefined) pending.add(m.sent);
        if (m.results) {
          clearInterval(watch);
          resolve(m.results);
        }
      });
      worker.once('error', reject);
    });
    const bad = results.filter((r) => r.status !== 200);
    if (bad.length) throw new Error(`${bad.length} commands were not acknowledged with 200`);
    const acks = results.map((r) => r.ms);
    const sentAt = new Map(results.map((r) => [slugs[r.i]!, r.sentAt]));
    // The card is pinned after the ack; wait until every declaration got there.
    const deadline = Date.now() + 120_000;
    while (h.fake.callsTo('pins.add').filter((c) => c.ok).length < TOTAL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const wallSeconds = (performance.now() - wallStart) / 1000;

    const channelOf = new Map<string, string>();
    for (const c of h.fake.callsTo('conversations.create')) {
      if (!c.ok) continue;
      const name = String(c.args.name);
      const slug = /(bench-incident-\d+)$/.exec(name)?.[1];
      const id = h.fake.channelByName(name)?.id;
      if (slug && id) channelOf.set(id, slug);
    }
    const cards: number[] = [];
    for (const c of h.fake.callsTo('pins.add')) {
      const slug = channelOf.get(String(c.args.channel));
      const sent = slug ? sentAt.get(slug) : undefined;
      if (c.ok && sent) cards.push(c.at - sent);
    }
    console.log(`declare: ${TOTAL} declarations, concurrency ${CONCURRENCY}, ${wallSeconds.toFixed(1)} s wall, ${cards.length} cards pinned`);
    console.log(`  ack (HTTP response to the slash command): p50 ${pct(acks, 50).toFixed(1)} ms, p99 ${pct(acks, 99).toFixed(1)} ms (goal p99 < 50 ms)`);
    console.log(`  command → pinned card:                    p50 ${pct(cards, 50).toFixed(0)} ms, p99 ${pct(cards, 99).toFixed(0)} ms (goal p99 < 300 ms)`);
    // Let the last confirmations reach the fake before it goes away.
    const deadline2 = Date.now() + 10_000;
    while (fake.ephemerals().filter((e) => e.text.includes('declared')).length < TOTAL && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 50));
  } finally {
    const exited = new Promise((r) => bot.once('exit', r));
    bot.kill('SIGTERM');
    await exited;
    await fake.stop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  }
}

await main();
