import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeIncident } from '../../src/domain/incident-summary.js';
import { chatInsights, consoleInsightsUrl } from '../../src/insights/chat-summary.js';
import { Insights } from '../../src/insights/service.js';
import { RedisIncidentSummaries } from '../../src/store/incident-summaries.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.js';
import { eventually } from '../helpers/wait.js';
import { reopenedIncident, unansweredIncident, type Story } from './histories.js';

const redis = testRedis();

/** The stories moved into the last 30 days, as the bot would have summarised them. */
async function summarise(prefix: string, stories: Story[]) {
  const summaries = new RedisIncidentSummaries(redis, prefix);
  for (const { incident, timeline } of stories) {
    const shift = Date.now() - 5 * 86_400_000 - Date.parse(incident.declaredAt);
    const moved = timeline.map((e) => ({ ...e, at: new Date(Date.parse(e.at) + shift).toISOString() }));
    await summaries.put(summarizeIncident({ ...incident, declaredAt: moved[0]!.at }, moved));
  }
}

afterAll(() => redis.disconnect());

describe('/incident report in Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ PUBLIC_URL: 'https://sitrep.example' });
    await summarise(h.prefix, [reopenedIncident(), unansweredIncident()]);
  });
  afterAll(() => h.stop());

  it('answers the person who asked with the last 30 days of a team, and no link while the console is off', async () => {
    await h.driver.slashCommand({ text: 'report team-x', userId: 'U_CAROL', channelId: 'C_OPS' });
    const card = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_CAROL' && e.text.includes('Incident insights')));
    expect(card.text).toContain('*Incident insights* — *team-x*, last 30 days: 1 resolved incident');
    expect(card.text).toContain('• MTTA: median 15 min · p90 15 min (n=1)');
    expect(card.text).toContain('• MTTR: median 2 h · p90 2 h (n=1)');
    expect(card.text).toContain('• Team hops: median 2 · p90 2 (n=1)');
    expect(card.text).not.toContain('https://sitrep.example');
  });
});

describe('/incident report in Teams', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
    await summarise(h.prefix, [reopenedIncident(), unansweredIncident()]);
  });
  afterAll(() => h.stop());

  it('counts the incidents a measure leaves out instead of counting them as zero', async () => {
    const asked = h.driver.channelConversation();
    await h.driver.message({ text: 'incident report', conversation: asked });
    await h.settle();
    const reply = await eventually(() => h.fake.activities(asked.id).map((a) => a.text ?? '').find((t) => t.includes('Incident insights')));
    expect(reply).toContain('**Incident insights** — last 30 days: 2 resolved incidents');
    expect(reply).toContain('• MTTA: median 15 min · p90 15 min (n=1, 1 not applicable)');
    expect(reply).toContain('• Pages: 2 sent, 2 reached level 2+, 1 nobody answered');
  });
});

describe('the link to the Insights page', () => {
  it('is given only when the web console is on and PUBLIC_URL is set', async () => {
    expect(consoleInsightsUrl({ PUBLIC_URL: 'https://sitrep.example/', WEB_CONSOLE: 'on' })).toBe('https://sitrep.example/insights');
    expect(consoleInsightsUrl({ PUBLIC_URL: 'https://sitrep.example', WEB_CONSOLE: 'off' })).toBeUndefined();
    expect(consoleInsightsUrl({ PUBLIC_URL: 'https://sitrep.example' })).toBeUndefined();
    expect(consoleInsightsUrl({ WEB_CONSOLE: 'on' })).toBeUndefined();

    const prefix = testPrefix('insights-chat');
    try {
      await summarise(prefix, [unansweredIncident()]);
      const port = chatInsights(new Insights(new RedisIncidentSummaries(redis, prefix)), { timeZone: 'UTC', pageUrl: 'https://sitrep.example/insights' });
      expect(await port.summary('team-a')).toContain('<https://sitrep.example/insights?since=30d&team=team-a|Open Insights>');
    } finally {
      await cleanPrefix(redis, prefix);
    }
  });
});
