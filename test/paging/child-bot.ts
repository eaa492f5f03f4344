// The real bot (`node --import tsx src/main.ts`) in a child process, so a test can kill it with SIGKILL:
// no graceful shutdown, no BullMQ close, its jobs left active in Redis as after a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
// Generous: on a loaded CI machine tsx alone can take 20 s to load the app.
const STARTUP_MS = 60_000;
const OUTPUT_TAIL = 4000;

export interface ChildBot {
  /** Base URL of its HTTP server, e.g. for `/slack/events`. */
  url: string;
  /** SIGKILL, then waits for the process to be gone. */
  kill(): Promise<void>;
  /** Sends SIGTERM (a rolling update, a scale-down) and resolves when it exits, with its exit code and what it logged. */
  terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

const alive = new Set<ChildProcess>();

/** Starts the bot with `env` (over this process's env) and waits until it answers /healthz. */
export async function spawnBot(env: Record<string, string>): Promise<ChildBot> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => alive.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the bot exited during start-up:\n${output}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bot did not answer /healthz within ${STARTUP_MS} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      child.kill('SIGTERM');
      const how = await exited;
      return { ...how, output };
    },
  };
}

/** Kills every bot still running (afterEach, also when a test failed half-way). */
export async function killBots(): Promise<void> {
  const running = [...alive].filter((child) => child.exitCode === null && child.signalCode === null);
  const exits = running.map((child) => {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    return gone;
  });
  await Promise.all(exits);
}

