import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSitrep } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { SitrepError } from '../../../src/domain/errors.js';
import { silentLogger } from '../../../src/log.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { freePort } from '../../helpers/ports.js';
import { testPrefix, TEST_REDIS_URL } from '../../helpers/redis.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `src/main.ts` as an operator would and returns how it ended. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK|TEAMS)_/.test(k)));
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    env: { ...inherited, LOG_LEVEL: 'warn', REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: testPrefix('slack-startup'), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    }),
  );
}

function expectOnePlainLine(result: { code: number | null; stderr: string }, ...words: string[]) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  for (const word of words) expect(lines[0]).toContain(word);
}

let fake: FakeSlack;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  fake = await FakeSlack.start();
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await fake?.stop();
  await new Promise((resolve) => busy?.close(resolve));
});

async function startFailure(env: Record<string, string>): Promise<SitrepError> {
  const config = parseConfig({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: testPrefix('slack-startup'), HOST: '127.0.0.1', PORT: '0', ...env });
  const failure = await startSitrep(config, silentLogger).then(
    async (sitrep) => {
      await sitrep.stop();
      return undefined;
    },
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(SitrepError);
  return failure as SitrepError;
}

describe('start-up failures name the setting and what to do', () => {
  it('a bad or revoked SLACK_BOT_TOKEN', async () => {
    const err = await startFailure({ SLACK_BOT_TOKEN: 'xoxb-revoked-0000', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl });
    expect(err.userMessage).toMatch(/^Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)\. Copy the Bot User OAuth Token/);
  });

  it('a bad SLACK_APP_TOKEN', async () => {
    const err = await startFailure({ SLACK_BOT_TOKEN: fake.token, SLACK_APP_TOKEN: 'xapp-wrong-0000', SLACK_API_URL: fake.apiUrl });
    expect(err.userMessage).toMatch(/^Slack rejected SLACK_APP_TOKEN \(invalid_auth\)\..*connections:write/);
  });

  it('Slack unreachable, saying where it looked, within seconds', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}/api/`;
    const started = Date.now();
    const err = await startFailure({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: nowhere });
    expect(err.userMessage).toContain(`could not reach Slack at SLACK_API_URL=${nowhere}`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('PORT already in use (EADDRINUSE)', async () => {
    const err = await startFailure({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl, PORT: String(busyPort) });
    expect(err.userMessage).toBe(`PORT ${busyPort} is already in use on 127.0.0.1 (EADDRINUSE): stop the other program (or sitrep) listening there, or set PORT to a free port.`);
  });
});

describe('as an operator sees it', () => {
  it('a revoked token stops `sitrep` with one plain line on stderr and exit code 1', { timeout: 120_000 }, async () => {
    const result = await start({ SLACK_BOT_TOKEN: 'xoxb-revoked-0000', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl, PORT: '0' });
    expectOnePlainLine(result, 'sitrep cannot start: Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
  });
});
