// Start-up time (issue 12, item 8): from `node dist/main.js` to sitrep's first own log line and to
// "sitrep is listening", on a quiet box with nothing to compile. Floor: a bare Node process that
// imports @slack/bolt, builds an App and listens on a port — what any Bolt bot pays before it can answer.
// Goal: ready within 3 s; as a ratio, no more than 2.5× the bare Bolt app.
//
// Also prints what `npm start` adds when nothing changed: `tsc -b` finding nothing to build.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { interleave, median, reportRatio } from './floor.js';
import { freePort } from '../test/helpers/ports.js';
import { cleanPrefix, TEST_REDIS_URL } from '../test/helpers/redis.js';

const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 7);
const READY_GOAL_MS = 3000;

/** Slack's auth.test, answered at once: sitrep checks its token before it listens. */
const slack = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ ok: true, url: 'https://bench.slack.test/', team: 'bench', user: 'sitrep', team_id: 'T1', user_id: 'U1', bot_id: 'B1' }));
});
await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', () => resolve()));
const apiUrl = `http://127.0.0.1:${(slack.address() as { port: number }).port}/api/`;
const prefix = `bench-startup-${process.pid}:`;

interface Timings {
  /** ms from spawn to the first line on stdout. */
  firstLine: number;
  /** ms from spawn to the line that says it answers requests. */
  ready: number;
  /** CPU ms (user + system) the process had used when ready: what a busy box cannot inflate. */
  cpu?: number;
}

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();

/** utime + stime of a running process, from /proc (Linux); undefined elsewhere. */
function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** Spawns a process and times its output until a line matches `ready`; then stops it (SIGTERM, then SIGKILL). */
async function timeStart(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Timings> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let firstLine: number | undefined;
  try {
    return await new Promise<Timings>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const at = performance.now() - started;
        firstLine ??= at;
        if (ready.test(line)) resolve({ firstLine, ready: at, cpu: cpuMsOf(child.pid) });
      });
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready: ${stderr.trim().split('\n').at(-1) ?? ''}`)));
    });
  } finally {
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

const BARE_BOLT = `
import { createServer } from 'node:http';
import bolt from '@slack/bolt';
const app = new bolt.App({ token: 'xoxb-bench', signingSecret: 'bench', deferInitialization: true });
createServer(() => {}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening', typeof app.client));
`;

const cpuPairs: { subject: number; floor: number }[] = [];
let floorCpu: number | undefined;
async function floor(): Promise<number> {
  const port = await freePort();
  const t = await timeStart(['--input-type=module', '-e', BARE_BOLT], { ...process.env, PORT: String(port) }, /^listening/);
  floorCpu = t.cpu;
  return t.ready;
}

const firstLines: number[] = [];
const readies: number[] = [];
async function subject(): Promise<number> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench',
    SLACK_API_URL: apiUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
  };
  const t = await timeStart(['dist/main.js'], env, /sitrep is listening/);
  firstLines.push(t.firstLine);
  readies.push(t.ready);
  if (t.cpu !== undefined && floorCpu !== undefined) cpuPairs.push({ subject: t.cpu, floor: floorCpu });
  return t.ready;
}

// What `npm start` runs first: with nothing changed, tsc -b only compares its build state.
const build = () => {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('tsc -b failed');
  return performance.now() - t0;
};
build();
const noopBuild = build();

const pairs = await interleave({ rounds: ROUNDS, warmup: 1, floor, subject });
const sorted = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
console.log(`  sitrep first own log line: median ${median(firstLines).toFixed(0)} ms (${sorted(firstLines)})`);
console.log(`  sitrep listening:          median ${median(readies).toFixed(0)} ms (${sorted(readies)}) — goal < ${READY_GOAL_MS} ms: ${median(readies) < READY_GOAL_MS ? 'ok' : 'MISSED'}`);
console.log(`  npm start's tsc -b with nothing to build: ${noopBuild.toFixed(0)} ms`);
reportRatio({ bench: 'startup', measure: 'start to listening', unit: 'ms', pairs, goal: 2.5, kind: 'max', goalBy: 'ours' });
// Warm-up rounds are in cpuPairs too; the median hardly moves.
if (cpuPairs.length) reportRatio({ bench: 'startup', measure: 'CPU to listening', unit: 'ms', pairs: cpuPairs, goal: 2.5, kind: 'max', goalBy: 'ours' });

slack.close();
const redis = new Redis(TEST_REDIS_URL);
await cleanPrefix(redis, prefix);
redis.disconnect();
