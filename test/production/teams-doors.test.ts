// The Teams door when what it depends on is gone: Microsoft's OpenID metadata unreachable (a forged
// token can be neither trusted nor refused: 503, never 500), and Redis failing inside a turn (503, so
// the channel delivers the activity again instead of sitrep apologising and dropping it).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamsActivityHandler } from 'botbuilder';
import { silentLogger } from '../../src/log.js';
import { createTeamsAdapter, handleTeamsRequest } from '../../src/chat/teams/adapter.js';
import { FakeTeams } from '../fakes/teams/server.js';
import { TeamsDriver } from '../fakes/teams/driver.js';
import { freePort } from '../helpers/ports.js';

/** A bot whose every message turn hits a Redis that is gone (the error ioredis gives with the offline queue off). */
class RedisDownBot extends TeamsActivityHandler {
  constructor() {
    super();
    this.onMessage(async () => {
      throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    });
  }
}

async function serve(handle: ReturnType<typeof handleTeamsRequest>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages` };
}

let fake: FakeTeams;
const servers: Server[] = [];
beforeAll(async () => {
  fake = await FakeTeams.start();
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  await fake.close();
});

describe('Teams door under failure', () => {
  it('a forged token while the OpenID metadata is unreachable gets 503 with Retry-After, never 500', async () => {
    const appId = randomUUID();
    fake.registerApp({ appId, secret: 's3cret' });
    const closed = `http://127.0.0.1:${await freePort()}/.well-known/openidconfiguration`;
    const adapter = createTeamsAdapter({ appId, tenantId: fake.tenantId, auth: { type: 'secret', password: 's3cret' }, endpoints: { ...fake.endpoints, openIdMetadataUrl: closed } }, silentLogger);
    const { server, url } = await serve(handleTeamsRequest(adapter, new TeamsActivityHandler()));
    servers.push(server);
    const driver = new TeamsDriver({ botUrl: url, fake, appId });
    for (const token of ['wrongKey', 'unknownKey'] as const) {
      const res = await driver.message({ text: 'hello' }, { token });
      expect(res.status).toBe(503);
    }
  });

  it('Redis failing inside a turn answers 503 (the channel redelivers) and posts no apology', async () => {
    const appId = randomUUID();
    fake.registerApp({ appId, secret: 's3cret' });
    const adapter = createTeamsAdapter({ appId, tenantId: fake.tenantId, auth: { type: 'secret', password: 's3cret' }, endpoints: fake.endpoints }, silentLogger);
    const { server, url } = await serve(handleTeamsRequest(adapter, new RedisDownBot()));
    servers.push(server);
    const driver = new TeamsDriver({ botUrl: url, fake, appId });
    const conversation = driver.channelConversation();
    const res = await driver.message({ text: 'status', conversation });
    expect(res.status).toBe(503);
    expect(fake.activities(conversation.id).filter((a) => a.type === 'message')).toHaveLength(0);
  });
});
