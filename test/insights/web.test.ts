import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeIncident } from '../../src/domain/incident-summary.js';
import type { InsightsReport } from '../../src/insights/report.js';
import { Insights } from '../../src/insights/service.js';
import { silentLogger } from '../../src/log.js';
import { HttpServer } from '../../src/server/http.js';
import { RedisIncidentSummaries } from '../../src/store/incident-summaries.js';
import { getInsightsApi, getInsightsIncidents, getInsightsPage, type InsightsWebDeps } from '../../src/web/insights/pages.js';
import { registerInsightsRoutes } from '../../src/web/insights/routes.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { reopenedIncident, unansweredIncident, unpagedAlertIncident } from './histories.js';

const redis = testRedis();
const prefix = testPrefix('insights-web');
const summaries = new RedisIncidentSummaries(redis, prefix);
const deps: InsightsWebDeps = { insights: new Insights(summaries), timeZone: 'Europe/Berlin', now: () => new Date('2026-04-10T12:00:00Z') };
const range = new URLSearchParams({ from: '2026-03-23', to: '2026-04-06' });

beforeAll(async () => {
  for (const { incident, timeline } of [reopenedIncident(), unansweredIncident(), unpagedAlertIncident()]) await summaries.put(summarizeIncident(incident, timeline));
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

describe('the Insights page', () => {
  it('draws each week as a bar and a point with its figures on hover, and a table under each chart', async () => {
    const page = await getInsightsPage(deps, range);
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(page.body).toContain('3 resolved incidents declared 2026-03-23 00:00 → 2026-04-06 00:00 (Europe/Berlin)');
    expect(page.body.match(/<svg class="chart"/g)).toHaveLength(4);
    expect(page.body).toContain('<title>2026-W13: 2 incidents (SEV1 1, SEV2 1, SEV3 0, SEV4 0)</title>');
    expect(page.body).toContain('<title>2026-W13: MTTR median 1 h 30 min · p90 2 h (n=2)</title>');
    // Week 14 had no page: its MTTA is a gap in the line (and "—, 1 n/a" in the table), never a zero.
    expect(page.body).not.toContain('<title>2026-W14: MTTA');
    expect(page.body).toContain('<path class="line series-0" d="M224.0,183.4"/>');
    expect(page.body).not.toMatch(/<script|\sstyle="|\son\w+="/i);
    expect(page.body).toContain('<link rel="stylesheet" href="/insights/insights.css">');
    // No change events were collected for these incidents: "—", not 0 %.
    expect(page.body).toContain('<div>Followed a change within an hour</div><div class="value">—</div><div class="n">0 of 0 · 3 not applicable');
    // …and so in every team, service and week row: a column of its own, "—" with the incidents left out.
    expect(page.body).toContain('<th>Followed a change</th>');
    expect(page.body).toMatch(/<a href="[^"]*team=team-x[^"]*">team-x<\/a><\/td><td class="num">1<\/td>.*?<td>— \(1 n\/a\)<\/td><\/tr>/);
    expect(page.body).toMatch(/>2026-W13<\/a><\/td>.*?<td>— \(2 n\/a\)<\/td><\/tr>/);
  });

  it('a click on the point of a week lists that week’s incidents, in local time', async () => {
    const page = await getInsightsPage(deps, range);
    const w14 = hrefs(page.body).find((h) => h.startsWith('/insights/incidents?from=2026-03-29T22%3A00%3A00.000Z'));
    expect(w14).toBeDefined();
    const list = await getInsightsIncidents(deps, new URL(w14!, 'http://console').searchParams);
    expect(list.status).toBe(200);
    expect(list.body).toContain('<h1>1 incident</h1>');
    expect(list.body).toContain('<a href="/incidents/8">INC-8</a>');
    expect(list.body).toContain('2026-03-30 00:30'); // Monday 00:30 in Berlin, Sunday 22:30 UTC
    expect(list.body).not.toContain('INC-7');
  });

  it('the JSON API gives the same report, durations in milliseconds', async () => {
    const api = await getInsightsApi(deps, new URLSearchParams({ from: '2026-03-23', to: '2026-04-06', team: 'team-a' }));
    const report = JSON.parse(api.body) as InsightsReport;
    expect(report.incidents).toBe(1);
    expect(report.query.team).toBe('team-a');
    expect(report.pages).toMatchObject({ unanswered: 1 });
    expect(report.measures.find((m) => m.id === 'resolve')?.stat).toMatchObject({ count: 1, median: 3_600_000 });
  });

  it('a bad filter is a 400 naming the value, for the page and the API', async () => {
    const page = await getInsightsPage(deps, new URLSearchParams({ severity: '9' }));
    expect(page.status).toBe(400);
    expect(page.body).toContain('severity &quot;9&quot; is not one of SEV1, SEV2, SEV3, SEV4');
    const api = await getInsightsApi(deps, new URLSearchParams({ from: '2026-04-01', to: '2026-03-01' }));
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toEqual({ ok: false, error: 'the end of the range must come after its start' });
  });

  it('registers its routes on a server with the HttpServer API, each answering with a strict CSP', async () => {
    const http = new HttpServer(silentLogger);
    registerInsightsRoutes((method, path, handler) => http.route(method, path, handler), deps);
    const port = await http.listen(0, '127.0.0.1');
    try {
      const page = await fetch(`http://127.0.0.1:${port}/insights?from=2026-03-23&to=2026-04-06`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const css = await fetch(`http://127.0.0.1:${port}/insights/insights.css`);
      expect(css.headers.get('content-type')).toContain('text/css');
      const api = await fetch(`http://127.0.0.1:${port}/api/insights?since=2w&team=team-x`);
      expect(((await api.json()) as InsightsReport).incidents).toBe(0); // two weeks back from "now" (10 April): after 24 March
    } finally {
      await http.close();
    }
  });
});
