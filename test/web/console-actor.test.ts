import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackDirectory } from '../../src/chat/slack/directory.js';
import { TeamsDirectory } from '../../src/chat/teams/directory.js';
import { consoleActor } from '../../src/incidents/console-actor.js';
import { silentLogger } from '../../src/log.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';

let fake: FakeSlack;
const redis = testRedis();
const prefix = testPrefix('console-actor');
let slack: SlackDirectory;
let teams: TeamsDirectory;

beforeAll(async () => {
  fake = await FakeSlack.start();
  slack = slackDirectory();
  teams = new TeamsDirectory(redis, prefix);
});
afterEach(() => {
  fake.heal('users.lookupByEmail');
  fake.setLatency(0);
});
afterAll(async () => {
  await fake.stop();
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

/** As the adapter's client is configured: Slack's own retries, which an outage would make last for minutes. */
function slackDirectory(): SlackDirectory {
  const client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 5, factor: 1.5, minTimeout: 200, maxTimeout: 5000 }, logLevel: LogLevel.ERROR });
  return new SlackDirectory(client, redis, prefix, silentLogger);
}

const lookups = () => fake.callsTo('users.lookupByEmail').length;

describe('who a console user is in chat', () => {
  it('is their Slack self when Slack knows the e-mail, asked once and then remembered, even through a Slack outage', async () => {
    const before = lookups();
    expect(await consoleActor([slack], { email: 'Bob@Example.com', name: 'Bob (SSO)' }, silentLogger)).toEqual({ platform: 'slack', id: 'U_BOB', name: 'bob' });
    fake.failNext('users.lookupByEmail', 'fatal_error', { times: 1000 });
    expect(await consoleActor([slack], { email: 'bob@example.com' }, silentLogger)).toMatchObject({ platform: 'slack', id: 'U_BOB' });
    expect(lookups() - before).toBe(1);
  });

  it('is the console user by e-mail when Slack does not know the address (and that answer is remembered too)', async () => {
    const before = lookups();
    for (let i = 0; i < 2; i++) expect(await consoleActor([slack], { email: 'maria@example.com', name: 'Maria Lopez' }, silentLogger)).toEqual({ platform: 'web', id: 'maria@example.com', name: 'Maria Lopez' });
    expect(lookups() - before).toBe(1);
  });

  it('does not wait for a Slack that is down: the console user acts at once as themselves', async () => {
    fake.failNext('users.lookupByEmail', 'ratelimited', { times: 1000, retryAfter: 30 });
    const started = Date.now();
    // Its own client: a rate-limited WebClient holds back every later call too.
    const actor = await consoleActor([slackDirectory()], { email: 'carol@example.com', name: 'Carol' }, silentLogger, { timeoutMs: 300 });
    expect(actor).toEqual({ platform: 'web', id: 'carol@example.com', name: 'Carol' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('is their Teams self when a roster the bot read listed their e-mail or UPN, asking the room’s platform first', async () => {
    await teams.rememberAddresses([{ aadObjectId: '8f3b2c1a-0000-4000-8000-000000000001', name: 'Alice Archer', addresses: ['alice@example.com', 'alice.archer@corp.example.com'] }]);
    expect(await consoleActor([slack, teams], { email: 'alice.archer@corp.example.com' }, silentLogger)).toEqual({ platform: 'teams', id: '8f3b2c1a-0000-4000-8000-000000000001', name: 'Alice Archer' });
    expect(await consoleActor([slack, teams], { email: 'alice@example.com' }, silentLogger, { prefer: 'teams' })).toMatchObject({ platform: 'teams' });
    expect(await consoleActor([slack, teams], { email: 'alice@example.com' }, silentLogger, { prefer: 'slack' })).toMatchObject({ platform: 'slack', id: 'U_ALICE' });
  });
});
