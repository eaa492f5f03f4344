import { randomBytes, randomUUID } from 'node:crypto';
import { startSitrep, type Sitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Incident } from '../../src/domain/incident.js';
import { silentLogger } from '../../src/log.js';
import type { RedisIncidentStore } from '../../src/store/incident-store.js';
import { TeamsDriver, type TeamsConversation, type TeamsUser } from '../fakes/teams/driver.js';
import { FakeTeams, type FakeMember } from '../fakes/teams/server.js';
import { cleanPrefix, testPrefix, testRedis, TEST_REDIS_URL } from './redis.js';
import { settleAll } from './settle.js';
import { eventually } from './wait.js';

export interface TeamsHarness {
  fake: FakeTeams;
  driver: TeamsDriver;
  sitrep: Sitrep;
  store: RedisIncidentStore;
  prefix: string;
  appId: string;
  /** The channel whose threads are incident rooms (TEAMS_INCIDENTS_CHANNEL_ID). */
  incidentsChannelId: string;
  /** Waits for the work the bot does after answering Teams (commands, rooms, paging). */
  settle(): Promise<void>;
  /** The conversation a message in `incident`'s room arrives from. */
  roomConversation(incident: Incident): TeamsConversation;
  /** Declares from a new root post in General as `from`, and waits for the room with its card. */
  declare(title: string, from?: TeamsUser): Promise<Incident>;
  /** `@sitrep incident <text>` typed in the incident's room, then settles. */
  run(incident: Incident, text: string, from?: TeamsUser, entities?: unknown[]): Promise<Incident>;
  incidentCounter(): Promise<string | null>;
  stop(): Promise<void>;
}

export const asUser = (m: FakeMember): TeamsUser => ({ id: m.id, aadObjectId: m.aadObjectId, name: m.name });

/**
 * The real bot — botbuilder's CloudAdapter with the token check on, real Redis — against FakeTeams:
 * fake OpenID metadata and keys, fake Entra ID token endpoint, fake Bot Connector and Graph.
 */
export async function startTeamsHarness(env: Record<string, string> = {}): Promise<TeamsHarness> {
  const fake = await FakeTeams.start();
  // botbuilder caches outbound tokens per app id for the whole process: a fresh id per harness.
  const appId = randomUUID();
  const password = `secret-${randomBytes(8).toString('hex')}`;
  fake.registerApp({ appId, secret: password });
  const incidentsChannelId = `19:incidents${randomBytes(8).toString('hex')}@thread.tacv2`;
  fake.team.channels.push({ id: incidentsChannelId, displayName: 'Incidents', membershipType: 'standard' });
  const prefix = testPrefix('teams');
  const config = parseConfig({
    TEAMS_APP_ID: appId,
    TEAMS_TENANT_ID: fake.tenantId,
    TEAMS_APP_PASSWORD: password,
    TEAMS_INCIDENTS_CHANNEL_ID: incidentsChannelId,
    TEAMS_TEAM_ID: fake.team.aadGroupId,
    TEAMS_GRAPH_URL: fake.graphUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const sitrep = await startSitrep(config, silentLogger, { teamsEndpoints: fake.endpoints });
  const driver = new TeamsDriver({ botUrl: `${sitrep.url}/api/messages`, fake, appId });
  const store = sitrep.deps.store as RedisIncidentStore;
  const settle = () => settleAll(sitrep);

  const roomConversation = (incident: Incident): TeamsConversation => ({ id: incident.room!.id, conversationType: 'channel', tenantId: fake.tenantId });

  let titles = 0;
  return {
    fake,
    driver,
    sitrep,
    store,
    prefix,
    appId,
    incidentsChannelId,
    settle,
    roomConversation,
    async declare(title, from = driver.user) {
      titles += 1;
      const res = await driver.message({ text: `incident ${title}`, from, id: `1${Date.now()}${titles}` });
      if (res.status !== 200) throw new Error(`declare answered ${res.status}: ${res.body}`);
      await settle();
      return eventually(async () => (await store.listOpen()).find((i) => i.title === title && i.room?.cardId), `incident "${title}" with its card`);
    },
    async run(incident, text, from = driver.user, entities) {
      const res = await driver.message({ text: `incident ${text}`, from, conversation: roomConversation(incident), entities });
      if (res.status !== 200) throw new Error(`"${text}" answered ${res.status}: ${res.body}`);
      await settle();
      return (await store.get(incident.id))!;
    },
    incidentCounter: () => sitrep.redis.get(`${prefix}incident:seq`),
    async stop() {
      await sitrep.stop();
      await fake.close();
      const redis = testRedis();
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
