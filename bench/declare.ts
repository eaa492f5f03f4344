// `/incident <title>` declarations at concurrency 20 against the fake Slack, through the real bot (its own
// process: Bolt HTTP receiver, real Redis), each figure beside its floor measured in the same run,
// interleaved (bench/floor.ts):
// - ack p99 (HTTP response to the slash command) against a bare Bolt app, in its own process on the
//   same fake Slack, whose `/incident` handler only acks. Goal ≤ 1.5×.
// - command → pinned card p99 against the fake Slack's own round trips for the Web API calls a
//   declaration needs (conversations.create, conversations.invite, chat.postMessage of the same card,
//   pins.add), made back to back by a plain fetch client at the same concurrency. Goal ≤ 1.5×.
// Run: `npx tsx bench/declare.ts` (BENCH_DECLARES, BENCH_CONCURRENCY, BENCH_ROUNDS; BENCH_PROF=1 profiles the bot).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { FakeSlack, type ApiCall } from '../test/fakes/slack/server.js';
import { cleanPrefix } from '../test/helpers/redis.js';
import { freePort } from '../test/helpers/ports.js';
import { interleave, percentile, reportRatio, type Pair } from './floor.js';

const TOTAL = Number(process.env.BENCH_DECLARES ?? 300);
/** A card not pinned by then counts as pinned then (and is reported): a stuck round must not hang the bench. */
const PIN_TIMEOUT_MS = 60_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECRET = 'bench-signing-secret';

/**
 * Sends the slash commands from its own thread, so the acks it measures are not delayed by the fake
 * Slack's work on the main thread: three event loops, like Slack → bot → Slack Web API in real life.
 * With `waitForPin`, a declaration stays in flight until the main thread sees its card pinned.
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
const waiting = new Map();
parentPort.on('message', (i) => { waiting.get(i)?.(); waiting.delete(i); });
(async () => {
  let next = 0;
  const results = [];
  await Promise.all(Array.from({ length: workerData.concurrency }, async () => {
    while (next < workerData.bodies.length) {
      const i = next++;
      const pinned = workerData.waitForPin ? Promise.race([new Promise((r) => waiting.set(i, r)), new Promise((r) => setTimeout(r, workerData.pinTimeoutMs))]) : undefined;
      const sentAt = Date.now();
      const r = await send(workerData.bodies[i]);
      results.push({ i, sentAt, ...r });
      if (pinned) {
        parentPort.postMessage({ sent: i });
        await pinned;
      }
    }
  }));
  agent.destroy();
  parentPort.postMessage({ results });
})();
`;

/**
 * The card floor: the Web API calls of one declaration, back to back, from a plain fetch client on its
 * own thread, `concurrency` declarations at a time. Returns each declaration's time to its pin.
 */
const PLAIN_CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const call = async (method, args) => {
  const res = await fetch(workerData.apiUrl + method, { method: 'POST', headers: { authorization: 'Bearer ' + workerData.token, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(args) });
  const body = await res.json();
  if (!body.ok) throw new Error(method + ': ' + body.error);
  return body;
};
(async () => {
  let next = 0;
  const ms = [];
  await Promise.all(Array.from({ length: workerData.concurrency }, async () => {
    while (next < workerData.total) {
      const i = next++;
      const t0 = performance.now();
      const created = await call('conversations.create', { name: workerData.names[i], is_private: false });
      const channel = created.channel.id;
      await call('conversations.invite', { channel, users: workerData.user });
      const posted = await call('chat.postMessage', { channel, text: workerData.card.text, blocks: workerData.card.blocks });
      await call('pins.add', { channel, timestamp: posted.ts });
      ms.push(performance.now() - t0);
    }
  }));
  parentPort.postMessage(ms);
})();
`;

type SendResult = { i: number; sentAt: number; status: number; ms: number };

function commandBodies(fake: FakeSlack, titles: string[]): string[] {
  return titles.map((text) =>
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
}

/** Sends every body; with `fake`, each declaration waits for its card to be pinned before the next. */
function sendCommands(url: string, bodies: string[], fake?: FakeSlack): Promise<SendResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SENDER, { eval: true, workerData: { url, secret: SECRET, concurrency: CONCURRENCY, bodies, waitForPin: Boolean(fake), pinTimeoutMs: PIN_TIMEOUT_MS } });
    const pending = new Set<number>();
    let seen = fake?.calls.length ?? 0;
    // The bot's channel names end with the command's title, `…-r<round>-<i>`.
    const watch = fake
      ? setInterval(() => {
          for (; seen < fake.calls.length; seen++) {
            const call = fake.calls[seen]!;
            if (call.method !== 'pins.add' || !call.ok) continue;
            const i = Number(/-(\d+)$/.exec(fake.channel(String(call.args.channel))?.name ?? '')?.[1]);
            if (pending.delete(i)) worker.postMessage(i);
          }
        }, 2)
      : undefined;
    worker.on('message', (m: { sent?: number; results?: SendResult[] }) => {
      if (m.sent !== undefined) pending.add(m.sent);
      if (m.results) {
        clearInterval(watch);
        void worker.terminate();
        resolve(m.results);
      }
    });
    worker.once('error', reject);
  });
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    if (await fetch(url).then(() => true, () => false)) return;
    if (i > 1200) throw new Error(`${url} did not come up within 2 min`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The ack floor: a Bolt app that only acks `/incident`, in its own process like the bot. */
async function bareBolt(port: number, apiUrl: string, token: string): Promise<void> {
  const { App } = await import('@slack/bolt');
  const app = new App({ token, signingSecret: SECRET, clientOptions: { slackApiUrl: apiUrl } });
  app.command('/incident', async ({ ack }) => {
    await ack();
  });
  await app.start({ port, host: '127.0.0.1' });
}

async function main() {
  const fake = await FakeSlack.start();
  const [port, barePort] = [await freePort(), await freePort()];
  const prefix = `sitrep-bench:${randomBytes(3).toString('hex')}:`;
  const bot = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof-declare'] : []), '--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port), HOST: '127.0.0.1', REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const bare = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'bare-bolt', String(barePort), fake.apiUrl, fake.token], { stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/healthz`, bot);
    await waitUntilUp(`http://127.0.0.1:${barePort}/`, bare);
    let round = 0;
    const titles = () => {
      round++;
      return Array.from({ length: TOTAL }, (_, i) => `bench incident r${round}-${i}`);
    };
    let card: { text: string; blocks: unknown } | undefined;
    const cardPairs: Pair[] = [];
    let cardFloor = 0;

    const floor = async (): Promise<number> => {
      const acks = await sendCommands(`http://127.0.0.1:${barePort}/slack/events`, commandBodies(fake, titles()));
      if (acks.some((r) => r.status !== 200)) throw new Error('the bare Bolt app did not ack every command with 200');
      // Until the bot posted a card, the plain client posts none: the warm-up round runs the bot first.
      if (card) {
        const names = titles().map((t, i) => `plain-${round}-${i}-${t.replace(/\W+/g, '-')}`);
        const ms = await new Promise<number[]>((resolve, reject) => {
          const worker = new Worker(PLAIN_CLIENT, { eval: true, workerData: { apiUrl: fake.apiUrl, token: fake.token, concurrency: CONCURRENCY, total: TOTAL, names, user: 'U_ALICE', card } });
          worker.once('message', (m: number[]) => resolve(m));
          worker.once('error', reject);
        });
        cardFloor = percentile(ms, 99);
      }
      return percentile(acks.map((r) => r.ms), 99);
    };

    const subject = async (): Promise<number> => {
      const names = titles();
      const from = fake.calls.length;
      const started = performance.now();
      const results = await sendCommands(`http://127.0.0.1:${port}/slack/events`, commandBodies(fake, names), fake);
      if (results.some((r) => r.status !== 200)) throw new Error('sitrep did not ack every command with 200');
      const calls = fake.calls.slice(from);
      const cards = cardTimes(fake, calls, results, round);
      if (cards.length < TOTAL) console.log(`  warning: ${TOTAL - cards.length} of ${TOTAL} cards were not pinned within ${PIN_TIMEOUT_MS / 1000} s; counted as ${PIN_TIMEOUT_MS / 1000} s`);
      while (cards.length < TOTAL) cards.push(PIN_TIMEOUT_MS);
      const posted = calls.find((c) => c.method === 'chat.postMessage' && Array.isArray(c.args.blocks) && c.ok);
      card ??= { text: String(posted?.args.text), blocks: posted?.args.blocks };
      const acks = results.map((r) => r.ms);
      const count = (m: string) => calls.filter((c) => c.method === m).length / TOTAL;
      console.log(
        `  sitrep round: ${TOTAL} declared in ${((performance.now() - started) / 1000).toFixed(1)} s; ack p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms; card p50 ${percentile(cards, 50).toFixed(0)} ms, p99 ${percentile(cards, 99).toFixed(0)} ms; calls per declaration: ${[...new Set(calls.map((c) => c.method))].map((m) => `${m} ${count(m).toFixed(1)}`).join(', ')}`,
      );
      if (cardFloor) cardPairs.push({ subject: percentile(cards, 99), floor: cardFloor });
      return percentile(acks, 99);
    };

    console.log(`declare: ${TOTAL} declarations per round, concurrency ${CONCURRENCY}`);
    // Warm-up: the bot runs first so the plain client can post the very card the bot posts.
    await subject();
    cardPairs.length = 0;
    const ackPairs = await interleave({ rounds: ROUNDS, warmup: 1, floor, subject });
    reportRatio({ bench: 'declare', measure: 'ack p99 ms', unit: 'ms', pairs: ackPairs, goal: 1.5, kind: 'max' });
    reportRatio({ bench: 'declare', measure: 'command → pinned card p99 ms', unit: 'ms', pairs: cardPairs.slice(-ROUNDS), goal: 1.5, kind: 'max' });
  } finally {
    for (const child of [bot, bare]) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if (child.exitCode === null) await exited;
    }
    await fake.stop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  }
}

/** Each declaration's time from its command being sent to its card being pinned (the fake's clock is ours). */
function cardTimes(fake: FakeSlack, calls: ApiCall[], results: SendResult[], round: number): number[] {
  const sentAt = new Map(results.map((r) => [r.i, r.sentAt]));
  const times: number[] = [];
  for (const c of calls) {
    if (c.method !== 'pins.add' || !c.ok) continue;
    const name = fake.channel(String(c.args.channel))?.name ?? '';
    const m = /r(\d+)-(\d+)$/.exec(name);
    if (!m || Number(m[1]) !== round) continue;
    const sent = sentAt.get(Number(m[2]));
    if (sent !== undefined) times.push(c.at - sent);
  }
  return times;
}

if (process.argv[2] === 'bare-bolt') {
  await bareBolt(Number(process.argv[3]), process.argv[4]!, process.argv[5]!);
} else {
  await main();
}
