// Escalation timers under load: 10 000 escalations due in the same second, two worker processes on one Redis.
// Prints how late the last one fired (goal: all within 2 s of due time) and whether any fired twice (a
// per-job-id counter in Redis). Uses the real PagingTimers (BullMQ queue + worker) sitrep runs.
//
//   npx tsx bench/escalation.ts [count] [concurrency]      REDIS_URL defaults to redis://127.0.0.1:6379
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { silentLogger } from '../src/log.js';
import { jobIdOf, PagingTimers } from '../src/paging/timers.js';
import { cleanPrefix } from '../test/helpers/redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = 2;

type Keys = { counts: string; lateness: string; byWorker: string };
const keysFor = (prefix: string): Keys => ({ counts: `${prefix}bench:fired`, lateness: `${prefix}bench:late`, byWorker: `${prefix}bench:by-worker` });

async function worker(prefix: string, dueAt: number, concurrency: number): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  const keys = keysFor(prefix);
  const name = `worker-${process.pid}`;
  const timers = new PagingTimers(redis, { keyPrefix: prefix, logger: silentLogger, concurrency });
  timers.start(async (job) => {
    const late = Date.now() - dueAt;
    const id = jobIdOf(job);
    await redis.multi().hincrby(keys.counts, id, 1).hset(keys.lateness, id, late).hincrby(keys.byWorker, name, 1).exec();
  });
  await timers.ready();
  process.send?.('ready');
  process.on('message', (msg) => {
    if (msg !== 'stop') return;
    void timers.close().then(() => {
      redis.disconnect();
      process.exit(0);
    });
  });
}

async function main(count: number, concurrency: number): Promise<void> {
  const prefix = `sitrep-bench:${randomBytes(4).toString('hex')}:`;
  const keys = keysFor(prefix);
  const redis = new Redis(REDIS_URL);
  const dueAt = Date.now() + 8000 + Math.round(count / 2); // time to enqueue everything and start the workers

  console.log(`escalation bench: ${count} escalations due at the same instant, ${WORKERS} worker processes (concurrency ${concurrency} each), Redis ${REDIS_URL}`);
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const child = fork(fileURLToPath(import.meta.url), ['worker', prefix, String(dueAt), String(concurrency)], { stdio: 'inherit' });
    children.push(child);
    ready.push(new Promise((resolve) => child.once('message', () => resolve())));
  }

  const producer = new PagingTimers(redis, { keyPrefix: prefix, logger: silentLogger });
  const t0 = Date.now();
  for (let start = 0; start < count; start += 500) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const job = { kind: 'escalate' as const, incidentId: `inc-${i}`, pageId: `pg-${i}`, level: 0, pass: 0 };
      batch.push(producer.schedule(job, dueAt - Date.now()));
      // Scheduling the same step twice must stay one job.
      if (i % 10 === 0) batch.push(producer.schedule(job, dueAt - Date.now()));
    }
    await Promise.all(batch);
  }
  console.log(`  enqueued ${count} delayed jobs (+${Math.ceil(count / 10)} duplicate schedules) in ${Date.now() - t0} ms`);
  await Promise.all(ready);
  const wait = dueAt - Date.now();
  if (wait < 0) console.log(`  warning: workers became ready ${-wait} ms after the due time`);

  const deadline = dueAt + 30_000;
  while (Date.now() < deadline) {
    if ((await redis.hlen(keys.counts)) >= count) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const allFiredAt = Date.now();
  await new Promise((r) => setTimeout(r, 2000)); // give a duplicate the chance to show up

  const counts = Object.values(await redis.hgetall(keys.counts)).map(Number);
  const lateness = Object.values(await redis.hgetall(keys.lateness))
    .map(Number)
    .sort((a, b) => a - b);
  const byWorker = await redis.hgetall(keys.byWorker);
  const twice = counts.filter((c) => c > 1).length;
  const pct = (p: number) => lateness[Math.min(lateness.length - 1, Math.floor((p / 100) * lateness.length))] ?? NaN;

  console.log(`  fired:        ${counts.length} of ${count} (${count - counts.length} missing)`);
  console.log(`  fired twice:  ${twice}`);
  console.log(`  lateness:     p50 ${pct(50)} ms, p99 ${pct(99)} ms, last ${lateness.at(-1)} ms after due (all seen ${allFiredAt - dueAt} ms after due)`);
  console.log(`  per worker:   ${Object.entries(byWorker).map(([w, n]) => `${w} ${n}`).join(', ')}`);
  const ok = counts.length === count && twice === 0 && (lateness.at(-1) ?? Infinity) <= 2000;
  console.log(ok ? '  PASS: every escalation fired once, all within 2 s of due time' : '  FAIL: goal is every escalation once, all within 2 s');

  for (const child of children) child.send('stop');
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
  await producer.close();
  await cleanPrefix(redis, prefix);
  redis.disconnect();
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[2] === 'worker') {
  void worker(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
} else {
  void main(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 16));
}
