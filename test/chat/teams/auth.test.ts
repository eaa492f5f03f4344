import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CardFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
} from 'botbuilder';
import { silentLogger } from '../../../src/log.js';
import { createTeamsAdapter, handleTeamsRequest, type TeamsAdapter } from '../../../src/chat/teams/adapter.js';
import type { TeamsAuthConfig } from '../../../src/chat/teams/auth.js';
import { withTeamsRetry } from '../../../src/chat/teams/retry.js';
import { FakeTeams } from '../../fakes/teams/server.js';
import { TeamsDriver, type TokenMode } from '../../fakes/teams/driver.js';

/** Just enough bot to see what reaches the handler. */
class ProbeBot extends TeamsActivityHandler {
  readonly turns: string[] = [];
  readonly references = new Map<string, Partial<ConversationReference>>();

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      this.turns.push(`message:${context.activity.text ?? ''}`);
      const text = TurnContext.removeRecipientMention(context.activity)?.trim() ?? '';
      await context.sendActivity(context.activity.value ? `Submitted ${JSON.stringify(context.activity.value)}` : `Echo: ${text}`);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      this.turns.push('installationUpdate:add');
      this.references.set(context.activity.from.aadObjectId ?? '', TurnContext.getConversationReference(context.activity));
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    this.turns.push(`adaptiveCard/action:${invokeValue.action.verb}`);
    const card = CardFactory.adaptiveCard({
      type: 'AdaptiveCard',
      version: '1.4',
      body: [{ type: 'TextBlock', text: `INC-42 acknowledged by ${context.activity.from.name}` }],
    }).content as Record<string, unknown>;
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
  }
}

interface BotUnderTest {
  appId: string;
  botUrl: string;
  adapter: TeamsAdapter;
  bot: ProbeBot;
  driver: TeamsDriver;
  server: Server;
}

async function startBot(fake: FakeTeams, auth: TeamsAuthConfig['auth'], appId: string): Promise<BotUnderTest> {
  const adapter = createTeamsAdapter({ appId, tenantId: fake.tenantId, auth, endpoints: fake.endpoints }, silentLogger);
  const bot = new ProbeBot();
  const handle = handleTeamsRequest(adapter, bot);
  const server = createServer((req, res) => {
    if (req.url === '/api/messages') void handle(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  return { appId, botUrl, adapter, bot, server, driver: new TeamsDriver({ botUrl, fake, appId }) };
}

const stop = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

const repliesIn = (fake: FakeTeams, conversationId: string) => fake.activities(conversationId).filter((a) => a.type === 'message');

describe('Teams bot authentication against the fake Bot Framework, Entra ID and connector', () => {
  let fake: FakeTeams;
  let sut: BotUnderTest;

  beforeAll(async () => {
    fake = await FakeTeams.start();
    // botbuilder caches outbound tokens per app id for the whole process: a fresh id per bot keeps tests independent.
    const appId = randomUUID();
    fake.registerApp({ appId, secret: 'correct horse battery staple' });
    sut = await startBot(fake, { type: 'secret', password: 'correct horse battery staple' }, appId);
  });

  afterAll(async () => {
    await stop(sut.server);
    await fake.close();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a correctly signed @mention in a channel gets its reply in the thread, sent with a token from our tenant', async () => {
    const conversation = sut.driver.channelConversation();

    const response = await sut.driver.message({ text: 'status of checkout?', conversation, id: '1700000000001' });

    expect(response.status).toBe(200);
    const [reply] = await fake.waitFor((f) => (repliesIn(f, conversation.id).length ? repliesIn(f, conversation.id) : undefined));
    expect(reply).toMatchObject({ text: 'Echo: status of checkout?', replyToId: '1700000000001' });
    expect(reply?.body).toMatchObject({ from: { id: `28:${sut.appId}` }, recipient: { id: fake.defaultUser.id } });

    const send = fake.requests.find((r) => r.path.startsWith(`/v3/conversations/${encodeURIComponent(conversation.id)}`));
    expect(send).toMatchObject({ method: 'POST', status: 201, appId: sut.appId });
    expect(fake.tokenRequests).toContainEqual({
      clientId: sut.appId,
      tenant: fake.tenantId,
      scope: 'https://api.botframework.com/.default',
      credential: 'secret',
      granted: true,
    });
  });

  it('an Action.Execute on a card is answered in the HTTP response with the refreshed card', async () => {
    const response = await sut.driver.adaptiveCardAction({ verb: 'acknowledge', data: { incident: 'INC-42' } });

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: { type: 'AdaptiveCard', body: [{ text: `INC-42 acknowledged by ${fake.defaultUser.name}` }] },
    });
    expect(sut.bot.turns).toContain('adaptiveCard/action:acknowledge');
  });

  it('a proactive 1:1 message reaches the person who installed the app', async () => {
    const conversation = sut.driver.personalConversation();
    expect((await sut.driver.installationUpdate('add', { conversation })).status).toBe(200);
    const reference = sut.bot.references.get(fake.defaultUser.aadObjectId);
    expect(reference).toBeDefined();

    await sut.adapter.continueConversationAsync(sut.appId, reference ?? {}, async (context) => {
      await context.sendActivity('You are the incident lead for INC-42.');
    });

    expect(repliesIn(fake, conversation.id).map((a) => a.text)).toEqual(['You are the incident lead for INC-42.']);
  });

  it('a proactive 1:1 to someone who never talked to the bot creates the chat first', async () => {
    const pager = fake.addMember({ name: 'Kenji Sato' });
    let conversationId = '';

    await sut.adapter.createConversationAsync(
      sut.appId,
      'msteams',
      fake.serviceUrl,
      'https://api.botframework.com',
      {
        isGroup: false,
        bot: sut.driver.bot,
        members: [{ id: pager.id, name: pager.name }],
        tenantId: fake.tenantId,
        channelData: { tenant: { id: fake.tenantId } },
      },
      async (context) => {
        conversationId = context.activity.conversation.id;
        await context.sendActivity('You are on call for checkout: INC-43 needs you.');
      },
    );

    expect(fake.conversations.get(conversationId)).toMatchObject({ conversationType: 'personal', memberIds: [pager.id] });
    expect(repliesIn(fake, conversationId).map((a) => a.text)).toEqual(['You are on call for checkout: INC-43 needs you.']);
  });

  it('a 429 with Retry-After from the connector is retried by botbuilder itself and the reply lands once', async () => {
    const conversation = sut.driver.channelConversation();
    fake.failNext(/\/activities/, 429, { retryAfter: 1 });

    expect((await sut.driver.message({ text: 'who is on call?', conversation })).status).toBe(200);

    expect(repliesIn(fake, conversation.id).map((a) => a.text)).toEqual(['Echo: who is on call?']);
    const attempts = fake.requests.filter((r) => r.path.includes(encodeURIComponent(conversation.id)));
    expect(attempts.map((r) => r.status)).toEqual([429, 201]);
  });

  it('a 412 from the connector is not retried: the turn fails and the user gets an apology instead', async () => {
    const conversation = sut.driver.channelConversation();
    fake.failNext(/\/activities/, 412);

    expect((await sut.driver.message({ text: 'who is on call?', conversation })).status).toBe(200);

    expect(repliesIn(fake, conversation.id).map((a) => a.text)).toEqual([expect.stringMatching(/^Sorry, something went wrong/)]);
  });

  it('a proactive send wrapped in withTeamsRetry survives a 412 and a bare 429 and lands once', async () => {
    const conversation = sut.driver.personalConversation(fake.addMember({ name: 'Ana Silva' }));
    const reference = {
      channelId: 'msteams',
      serviceUrl: fake.serviceUrl,
      conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
      bot: sut.driver.bot,
    };
    fake.failNext(/\/activities/, 412);
    fake.failNext(/\/activities/, 429);
    const retries: number[] = [];

    await sut.adapter.continueConversationAsync(sut.appId, reference, async (context) => {
      // Wrap the send, not the turn: the adapter's onTurnError swallows errors thrown out of a turn.
      await withTeamsRetry(() => context.sendActivity('INC-44 was resolved.'), {
        baseDelayMs: 5,
        onRetry: ({ status }) => retries.push(status),
      });
    });

    expect(retries).toEqual([412, 429]);
    expect(repliesIn(fake, conversation.id).map((a) => a.text)).toEqual(['INC-44 was resolved.']);
  });

  const badTokens: TokenMode[] = ['missing', 'expired', 'wrongKey', 'unknownKey', 'wrongAudience', 'wrongIssuer', 'wrongServiceUrl'];
  it.each(badTokens)('a message with a %s token is refused with 401 and never reaches the bot', async (token) => {
    // botbuilder console.errors some rejections itself; keep the test output readable.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const turnsBefore = sut.bot.turns.length;
    const conversation = sut.driver.channelConversation();

    const response = await sut.driver.message({ text: 'close INC-42', conversation }, { token });

    expect(response.status).toBe(401);
    expect(response.body).not.toContain('eyJ');
    expect(sut.bot.turns).toHaveLength(turnsBefore);
    expect(fake.activities(conversation.id)).toEqual([]);
  });

  it('a body over 1 MiB is refused with 413 and one that is not JSON with 400', async () => {
    const url = sut.botUrl;
    const huge = JSON.stringify({ type: 'message', text: 'x'.repeat(1024 * 1024 + 1) });
    const tooBig = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    const notJson = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'type=message' });
    const notActivity = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });

    expect([tooBig.status, notJson.status, notActivity.status]).toEqual([413, 400, 400]);
  });
});

describe('Teams bot authenticating with a certificate', () => {
  it('gets its outbound token with a signed client assertion and replies', async () => {
    const fake = await FakeTeams.start();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const appId = randomUUID();
    fake.registerApp({ appId, certificatePublicKey: publicKey });
    const sut = await startBot(
      fake,
      {
        type: 'certificate',
        thumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
        privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      },
      appId,
    );
    try {
      const conversation = sut.driver.channelConversation();
      expect((await sut.driver.message({ text: 'hello', conversation })).status).toBe(200);

      expect(repliesIn(fake, conversation.id).map((a) => a.text)).toEqual(['Echo: hello']);
      expect(fake.tokenRequests).toContainEqual(expect.objectContaining({ clientId: appId, credential: 'certificate', granted: true }));
    } finally {
      await stop(sut.server);
      await fake.close();
    }
  });
});
