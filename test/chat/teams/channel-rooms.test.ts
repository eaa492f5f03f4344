import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness({ TEAMS_ROOM_MODE: 'channel' });
});
afterAll(async () => {
  await h?.stop();
});

const graphPosts = () => h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/graph/v1.0/teams/${h.fake.team.aadGroupId}/channels`);

describe('a channel per incident through Microsoft Graph (TEAMS_ROOM_MODE=channel)', () => {
  it('declaring creates a channel named after the incident, posts the card as its first thread and announces it in the incidents channel', async () => {
    const incident = await h.declare('Checkout returns 500 for every EU customer since the deploy');

    const channel = h.fake.team.channels.find((c) => c.id === incident.room!.id);
    expect(channel?.displayName).toBe(`INC-${incident.number} Checkout returns 500 for every EU customer`);
    expect(channel!.displayName.length).toBeLessThanOrEqual(50);
    expect(incident.room).toMatchObject({ platform: 'teams', name: channel!.displayName, url: expect.stringContaining('https://teams.microsoft.com/l/channel/') });
    const cardThread = `${channel!.id};messageid=${incident.room!.cardId}`;
    expect(JSON.stringify(h.fake.activities(cardThread)[0]?.attachments)).toContain(`INC-${incident.number} · Checkout returns 500`);
    const announcement = h.fake.allActivities().find((a) => a.conversationId.startsWith(`${h.incidentsChannelId};messageid=`) && a.text?.includes(`INC-${incident.number} declared`));
    expect(announcement?.text).toContain(incident.room!.url!);
    expect(graphPosts().at(-1)?.status).toBe(201);
  });

  it('commands typed in any thread of the incident channel act on its incident and reply there', async () => {
    const incident = await h.declare('Payments slow');
    const otherThread = { id: `${incident.room!.id};messageid=1700000009999`, conversationType: 'channel' as const, tenantId: h.fake.tenantId };

    await h.driver.message({ text: 'incident status investigating', conversation: otherThread });
    await h.settle();

    expect((await h.store.get(incident.id))?.status).toBe('investigating');
    const card = h.fake.activities(`${incident.room!.id};messageid=${incident.room!.cardId}`)[0];
    expect(JSON.stringify(card?.attachments)).toContain('"value":"investigating"');
  });

  it('a clashing channel name gets a suffix instead of failing', async () => {
    const next = Number(await h.incidentCounter()) + 1;
    h.fake.team.channels.push({ id: '19:taken@thread.tacv2', displayName: `INC-${next} Search down`, membershipType: 'standard' });

    const incident = await h.declare('Search down');

    expect(incident.room?.name).toBe(`INC-${next} Search down (2)`);
  });

  it('when Graph refuses (403: no Channel.Create) the incident opens as a thread in the incidents channel', async () => {
    h.fake.graph.denyChannelCreation = true;
    try {
      const channelsBefore = h.fake.team.channels.length;
      const incident = await h.declare('Login loops');

      expect(graphPosts().at(-1)?.status).toBe(403);
      expect(h.fake.team.channels).toHaveLength(channelsBefore);
      expect(incident.room!.id).toBe(`${h.incidentsChannelId};messageid=${incident.room!.cardId}`);
      expect(JSON.stringify(h.fake.activities(incident.room!.id)[0]?.attachments)).toContain('Login loops');
      expect((await h.store.timeline(incident.id)).map((e) => e.type)).toEqual(['declared', 'role_assigned']);
    } finally {
      h.fake.graph.denyChannelCreation = false;
    }
  });
});
