import { parseConfig } from '../../src/config.js';
import { startSitrep, type Sitrep } from '../../src/app.js';
import { silentLogger } from '../../src/log.js';
import type { RedisIncidentStore } from '../../src/store/incident-store.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { SlackDriver } from '../fakes/slack/driver.js';
import { cleanPrefix, testPrefix, testRedis, TEST_REDIS_URL } from './redis.js';
import { settleAll } from './settle.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface SlackHarness {
  fake: FakeSlack;
  driver: SlackDriver;
  sitrep: Sitrep;
  store: RedisIncidentStore;
  prefix: string;
  /** Waits for the work the bot does after acknowledging (room, triage, paging). */
  settle(): Promise<void>;
  /**
   * Another sitrep on the same Redis prefix and fake Slack, configured like this one (plus `env`):
   * a second replica, or the bot after a restart. The caller stops it.
   */
  startReplica(env?: Record<string, string>): Promise<Sitrep>;
  stop(): Promise<void>;
}

/** The bot's environment against the fake Slack and the test Redis under `prefix` (also for a bot in a child process). */
export function slackBotEnv(fake: FakeSlack, prefix: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    // Tests post far faster than people do; pacing itself is covered by test/chat/slack/pacer.test.ts.
    SLACK_MIN_POST_INTERVAL_MS: '20',
  };
}

/** The real bot (Bolt in HTTP mode, real Redis) against the fake Slack, on loopback. */
export async function startSlackHarness(env: Record<string, string> = {}): Promise<SlackHarness> {
  const fake = await FakeSlack.start();
  const prefix = testPrefix('slack');
  const configWith = (extra: Record<string, string>) => parseConfig({ ...slackBotEnv(fake, prefix), ...env, ...extra });
  const sitrep = await startSitrep(configWith({}), silentLogger);
  const driver = new SlackDriver({ botUrl: `${sitrep.url}/slack/events`, signingSecret: SIGNING_SECRET, fake });
  return {
    fake,
    driver,
    sitrep,
    store: sitrep.deps.store as RedisIncidentStore,
    prefix,
    settle: () => settleAll(sitrep),
    startReplica: (extra = {}) => startSitrep(configWith(extra), silentLogger),
    async stop() {
      await sitrep.stop();
      await fake.stop();
      const redis = testRedis();
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
