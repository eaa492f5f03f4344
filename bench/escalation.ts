// Escalation timers under load: 10 000 escalations due at the same instant, two worker processes on one
// Redis, through the real PagingTimers (BullMQ queue + worker) sitrep runs. Its floor, measured in the
// same run and interleaved (bench/floor.ts): a bare BullMQ queue with the same 10 000 delayed jobs and two
// worker processes whose processor does nothing, at the same concurrency.
// Goal: the last escalation fires ≤ 1.3× as late after its due time as the floor's last, and none twice.
//
//   npx tsx bench/escalation.ts [count] [concurrency]      REDIS_URL defaults to redis://127.0.0.1:6379
//   BENCH_ROUNDS overrides the number of measured rounds.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { silentLogger } from '../src/log.js';
import { jobIdOf, pagingQueuePrefix, PagingTimers, PAGING_QUEUE, type PagingJob } from '../src/paging/timers.js';
import { cleanPrefix } from '../test/helpers/redis.js';
import { interleave, percentile, reportRatio } from './floor.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Side = 'floor' | 'sitrep';
/** What one worker process saw: for each job id it ran, how many ms after the due time it started. */
type Fired = Array<[id: string, lateMs: number]>;

/** A worker process: runs jobs until told to stop, then reports what it ran. */
async function workerProcess(side: Side, prefix: string, concurrency: number): Promise<void> {
  let dueAt = 0;
  const fired: Fired = [];
  const record = (id: string): void => {
    fired.push([id, Date.now() - dueAt]);
  };
  let stop: () => Promise<void>;
  if (side === 'sitrep') {
    const redis = new Redis(REDIS_URL);
    const timers = new PagingTimers(redis, { keyPrefix: prefix, logger: silentLogger, concurrency });
    timers.start(async (job) => record(jobIdOf(job)));
    await timers.ready();
    stop = async () => {
      await timers.close();
      redis.disconnect();
    };
  } else {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(PAGING_QUEUE, async (job) => record(job.id!), { connection, prefix: pagingQueuePrefix(prefix), concurrency });
    await worker.waitUntilReady();
    stop = async () => {
      await worker.close();
      connection.disconnect();
    };
  }
  process.on('message', (msg: { dueAt?: number; stop?: boolean }) => {
    if (msg.dueAt) dueAt = msg.dueAt;
    if (msg.stop) void stop().then(() => process.send!({ fired }, () => process.exit(0)));
  });
  process.send!('ready');
}

let enqueueMargin = 8000;

const escalation = (i: number): PagingJob => ({ kind: 'escalate', incidentId: `inc-${i}`, pageId: `pg-${i}`, level: 0, pass: 0 });

/** One round: start the workers, enqueue `count` jobs due at one instant, wait for all, return the last one's lateness. */
async function round(side: Side, count: number, concurrency: number): Promise<number> {
  const prefix = `sitrep-bench:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];
  for (let i = 0; i < WORKERS; i++) {
    children.push(fork(fileURLToPath(import.meta.url), ['worker', side, prefix, String(concurrency)], { stdio: 'inherit' }));
  }
  await Promise.all(children.map((c) => new Promise<void>((resolve) => c.once('message', () => resolve()))));

  // Enough time to enqueue everything before the due instant, on a loaded machine too: the margin
  // grows with the slowest enqueueing seen so far (a job added after its due time would be late already).
  const dueAt = Date.now() + enqueueMargin;
  for (const c of children) c.send({ dueAt });
  const t0 = Date.now();
  if (side === 'sitrep') {
    const producer = new PagingTimers(redis, { keyPrefix: prefix, logger: silentLogger });
    for (let start = 0; start < count; start += 500) {
      const batch = [];
      for (let i = start; i < Math.min(count, start + 500); i++) {
        batch.push(producer.schedule(escalation(i), dueAt - Date.now()));
        // Scheduling the same step twice must stay one job.
        if (i % 10 === 0) batch.push(producer.schedule(escalation(i), dueAt - Date.now()));
      }
      await Promise.all(batch);
    }
    await producer.close();
  } else {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(PAGING_QUEUE, { connection, prefix: pagingQueuePrefix(prefix) });
    for (let start = 0; start < count; start += 500) {
      const batch = [];
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const job = escalation(i);
        batch.push(queue.add(job.kind, job, { jobId: jobIdOf(job), delay: Math.max(0, dueAt - Date.now()) }));
        if (i % 10 === 0) batch.push(queue.add(job.kind, job, { jobId: jobIdOf(job), delay: Math.max(0, dueAt - Date.now()) }));
      }
      await Promise.all(batch);
    }
    await queue.close();
    connection.disconnect();
  }
  const enqueueMs = Date.now() - t0;
  enqueueMargin = Math.max(enqueueMargin, Math.round(enqueueMs * 1.5) + 2000);
  if (Date.now() > dueAt) console.log(`  warning (${side}): enqueueing took ${enqueueMs} ms and ran past the due time`);

  // Wait until every job ran (and a little longer, for a duplicate to show up), then collect.
  const queueKeys = `${pagingQueuePrefix(prefix)}:${PAGING_QUEUE}`;
  const deadline = dueAt + 60_000;
  while (Date.now() < deadline) {
    const [waiting, delayed, active] = await Promise.all([redis.llen(`${queueKeys}:wait`), redis.zcard(`${queueKeys}:delayed`), redis.llen(`${queueKeys}:active`)]);
    if (Date.now() > dueAt && waiting + delayed + active === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const reports = children.map((c) => new Promise<Fired>((resolve) => c.on('message', (m: { fired?: Fired }) => m.fired && resolve(m.fired))));
  for (const c of children) c.send({ stop: true });
  const fired = (await Promise.all(reports)).flat();
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await cleanPrefix(redis, prefix);
  redis.disconnect();

  const times = new Map<string, number>();
  for (const [id] of fired) times.set(id, (times.get(id) ?? 0) + 1);
  const twice = [...times.values()].filter((n) => n > 1).length;
  const lateness = fired.map(([, late]) => late);
  const last = Math.max(...lateness);
  console.log(
    `  ${side.padEnd(6)}: ${times.size} of ${count} fired, ${twice} twice; lateness p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, last ${last} ms (enqueued in ${enqueueMs} ms)`,
  );
  if (times.size !== count) throw new Error(`${side}: ${count - times.size} escalations never fired`);
  if (twice > 0) throw new Error(`${side}: ${twice} escalations fired more than once`);
  return last;
}

async function main(count: number, concurrency: number): Promise<void> {
  console.log(`escalation: ${count} escalations due at the same instant, ${WORKERS} worker processes (concurrency ${concurrency} each), Redis ${REDIS_URL}`);
  const pairs = await interleave({
    rounds: ROUNDS,
    warmup: 1,
    floor: () => round('floor', count, concurrency),
    subject: () => round('sitrep', count, concurrency),
  });
  reportRatio({ bench: 'escalation', measure: `last of ${count / 1000}k fired, ms after due`, unit: 'ms', pairs, goal: 1.3, kind: 'max' });
}

if (process.argv[2] === 'worker') {
  await workerProcess(process.argv[3] as Side, process.argv[4]!, Number(process.argv[5]));
} else {
  await main(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 16));
}
