import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, VARIABLES } from '../src/config.js';

const run = promisify(execFile);
const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('configuration', () => {
  it('fills sensible defaults so only chat credentials are needed', () => {
    const config = parseConfig(slack);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.slack).toMatchObject({ botToken: 'xoxb-1', signingSecret: 'shh' });
    expect(config.SEVERITY_LABELS.SEV1).toBe('Critical');
  });

  it('names the variable, the problem and its purpose for each bad value', () => {
    const problems = problemsOf({ ...slack, PORT: 'eighty', REDIS_URL: 'http://x', TIME_ZONE: 'Mars/Olympus' });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT:'))).toMatch(/must be a number.*HTTP port/);
    expect(problems.find((p) => p.startsWith('REDIS_URL:'))).toMatch(/redis:\/\/ or rediss:\/\//);
    expect(problems.find((p) => p.startsWith('TIME_ZONE:'))).toMatch(/IANA time zone/);
  });

  it('asks for the signing secret in HTTP mode but not in Socket Mode', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })[0]).toMatch(/^SLACK_SIGNING_SECRET: required in HTTP mode/);
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.appToken).toBe('xapp-1');
  });

  it('refuses a Teams registration without tenant or credentials', () => {
    const problems = problemsOf({ TEAMS_APP_ID: 'app', TEAMS_INCIDENTS_CHANNEL_ID: '19:x' });
    expect(problems.some((p) => p.startsWith('TEAMS_TENANT_ID:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('TEAMS_APP_PASSWORD:'))).toBe(true);
  });

  it('parses severity labels and rejects malformed ones', () => {
    expect(parseConfig({ ...slack, SEVERITY_LABELS: 'SEV1=Outage, SEV4=Cosmetic' }).SEVERITY_LABELS).toMatchObject({ SEV1: 'Outage', SEV2: 'Major', SEV4: 'Cosmetic' });
    expect(problemsOf({ ...slack, SEVERITY_LABELS: 'SEV9=Huh' })[0]).toMatch(/SEVERITY_LABELS: "SEV9=Huh" should look like SEV1=Critical/);
  });

  it('.env.example documents every variable', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const name of Object.keys(VARIABLES)) expect(example).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
  });

  it('start-up with a bad value exits 1 with one line per problem and no stack trace', async () => {
    const env = { PATH: process.env.PATH ?? '', ...slack, PORT: '99999', REDIS_URL: 'mysql://nope' };
    const err = await run('npx', ['tsx', 'src/main.ts'], { env, cwd: process.cwd() }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toMatch(/^ {2}PORT: .*HTTP port/m);
    expect(stderr).toMatch(/^ {2}REDIS_URL: must start with redis:\/\//m);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('start-up with no chat platform explains how to set one up and exits 1', async () => {
    const err = await run('npx', ['tsx', 'src/main.ts'], { env: { PATH: process.env.PATH ?? '' } }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toMatch(/manifests\/slack\/manifest\.yaml/);
  });

  it('start-up with Redis unreachable says where it looked and how to start one', async () => {
    const env = { PATH: process.env.PATH ?? '', ...slack, REDIS_URL: 'redis://:hunter2@127.0.0.1:1' };
    const err = await run('npx', ['tsx', 'src/main.ts'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toMatch(/Cannot reach redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(stderr).toMatch(/redis-server/);
    expect(stderr).not.toMatch(/hunter2/);
  });
});
