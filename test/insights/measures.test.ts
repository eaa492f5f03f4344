import { describe, expect, it } from 'vitest';
import { parseSummary, summarizeIncident, type IncidentSummary } from '../../src/domain/incident-summary.js';
import { isoMs, stat, mtbfByService } from '../../src/domain/insights.js';
import { bucketsBetween } from '../../src/insights/buckets.js';
import { buildReport, InsightsQuery, matching } from '../../src/insights/report.js';
import { computeMetrics } from '../../src/domain/metrics.js';
import { alice } from '../postmortem/helpers.js';
import { history, nightIncident, reopenedIncident, unansweredIncident, unpagedAlertIncident, type Story } from './histories.js';

const MIN = 60_000;
const summary = (story: Story) => summarizeIncident(story.incident, story.timeline);

describe('one incident summary', () => {
  it('the night incident: 5 min to detect, 3 min to acknowledge, 2 hops, 10 min to the right team', () => {
    const s = summary(nightIncident());
    expect(s).toMatchObject({
      severity: 'SEV1',
      source: 'command',
      team: 'team-c',
      firstTeam: 'team-a',
      originService: 'checkout',
      services: ['checkout', 'payments'],
      detectMs: 5 * MIN,
      acknowledgeMs: 3 * MIN,
      mitigateMs: 20 * MIN,
      resolveMs: 40 * MIN,
      rightTeamMs: 10 * MIN,
      hops: 2,
      pages: 2,
      pagesEscalated: 0,
      pagesUnanswered: 0,
      resolvedAt: '2026-11-24T03:40:00.000Z',
    });
  });

  it('a reopened incident counts to its last resolution, and a team handed away and back counts from its first assignment', () => {
    const s = summary(reopenedIncident());
    expect(s.resolveMs).toBe(120 * MIN);
    expect(s.resolvedAt).toBe('2026-03-24T12:00:00.000Z');
    expect(s.mitigateMs).toBe(100 * MIN);
    expect(s.acknowledgeMs).toBe(15 * MIN);
    expect(s.hops).toBe(2);
    expect(s.team).toBe('team-x');
    expect(s.firstTeam).toBe('team-x');
    expect(s.rightTeamMs).toBe(1 * MIN);
    expect(s.detectMs).toBeUndefined();
    expect(s.severity).toBe('SEV2');
    expect(s).toMatchObject({ pages: 1, pagesEscalated: 1, pagesUnanswered: 0, services: ['api'] });
  });

  it('an incident nobody was paged for and nobody owned has no MTTA, hops or time to the right team (not zero)', () => {
    const s = summary(unpagedAlertIncident());
    expect(s.detectMs).toBe(10 * MIN);
    expect(s.resolveMs).toBe(60 * MIN);
    expect(s.acknowledgeMs).toBeUndefined();
    expect(s.hops).toBeUndefined();
    expect(s.rightTeamMs).toBeUndefined();
    expect(s.mitigateMs).toBeUndefined();
    expect(s.originService).toBe('payments');
    expect(s.services).toEqual(['payments', 'checkout']);
    expect(s.source).toBe('alert');
  });

  it('a page that ran through every level unanswered counts as escalated and unanswered, with no MTTA', () => {
    const s = summary(unansweredIncident());
    expect(s).toMatchObject({ pages: 1, pagesEscalated: 1, pagesUnanswered: 1, hops: 0, rightTeamMs: 0, team: 'team-a', firstTeam: 'team-a' });
    expect(s.acknowledgeMs).toBeUndefined();
  });
});

describe('time to the right team, one definition', () => {
  it('the postmortem and the insights summary give the same value for every history', () => {
    for (const story of [nightIncident(), reopenedIncident(), unansweredIncident(), unpagedAlertIncident()]) {
      expect(summary(story).rightTeamMs, story.incident.id).toBe(computeMetrics(story.timeline).timeToRightTeam.value);
    }
  });

  it('a team suspected before the ledger, handed away and given back, had it from the declaration', () => {
    const story = reopenedIncident();
    const t = (hhmm: string) => `2026-03-24T${hhmm}:00.000Z`;
    const timeline = history(story.incident.id, [
      [t('10:00'), { type: 'declared', actor: alice, key: 'd', title: 'API errors', severity: 'SEV3', source: 'slack' }],
      [t('10:20'), { type: 'owner_changed', actor: alice, key: 'o1', fromTeam: 'team-x', toTeam: 'team-y' }],
      [t('10:50'), { type: 'owner_changed', actor: alice, key: 'o2', fromTeam: 'team-y', toTeam: 'team-x' }],
      [t('11:00'), { type: 'resolved', actor: alice, key: 'r' }],
    ]);
    expect(computeMetrics(timeline).timeToRightTeam).toMatchObject({ value: 0, detail: 'team-x' });
    expect(summarizeIncident(story.incident, timeline)).toMatchObject({ rightTeamMs: 0, hops: 2, team: 'team-x', firstTeam: 'team-x' });
  });

  it('x → y → z → y counts to y\'s first assignment, not its return', () => {
    const story = reopenedIncident();
    const t = (hhmm: string) => `2026-03-24T${hhmm}:00.000Z`;
    const timeline = history(story.incident.id, [
      [t('10:00'), { type: 'declared', actor: alice, key: 'd', title: 'API errors', severity: 'SEV3', source: 'slack' }],
      [t('10:02'), { type: 'owner_changed', actor: alice, key: 'o1', toTeam: 'team-x' }],
      [t('10:07'), { type: 'owner_changed', actor: alice, key: 'o2', fromTeam: 'team-x', toTeam: 'team-y' }],
      [t('10:30'), { type: 'owner_changed', actor: alice, key: 'o3', fromTeam: 'team-y', toTeam: 'team-z' }],
      [t('10:45'), { type: 'owner_changed', actor: alice, key: 'o4', fromTeam: 'team-z', toTeam: 'team-y' }],
      [t('11:00'), { type: 'resolved', actor: alice, key: 'r' }],
    ]);
    expect(computeMetrics(timeline).timeToRightTeam).toMatchObject({ value: 7 * MIN, detail: 'team-y' });
    expect(summarizeIncident(story.incident, timeline)).toMatchObject({ rightTeamMs: 7 * MIN, hops: 3 });
  });
});

describe('medians and p90s', () => {
  it('median of an even count is the mean of the middle two; p90 is a value that happened', () => {
    expect(stat([4, 1, 3, 2], 2)).toEqual({ count: 4, notApplicable: 2, median: 2.5, p90: 4, mean: 2.5 });
    expect(stat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0)).toMatchObject({ median: 5.5, p90: 9 });
    expect(stat([], 3)).toEqual({ count: 0, notApplicable: 3 });
  });

  it('gives what sorting gives, for counts with many ties (hops) and for odd and even lengths', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (const n of [1, 2, 3, 10, 11, 100, 1001]) {
      for (const spread of [3, 1e6]) {
        const values = Array.from({ length: n }, () => Math.floor(next() * spread));
        const sorted = [...values].sort((a, b) => a - b);
        const median = n % 2 ? sorted[n >> 1] : (sorted[(n >> 1) - 1]! + sorted[n >> 1]!) / 2;
        expect(stat(values, 0)).toMatchObject({ count: n, median, p90: sorted[Math.ceil(0.9 * n) - 1] });
      }
    }
  });
});

describe('summary times', () => {
  it('read the same as Date.parse, across a DST change, a leap day and forms other than toISOString', () => {
    for (const text of ['2026-03-29T00:59:59.999Z', '2026-03-29T01:00:00.000Z', '2028-02-29T23:30:00.000Z', '1970-01-01T00:00:00.000Z', '2026-03-29T03:00:00+02:00', '2026-03-29T01:00:00Z', 'not a time']) {
      expect(isoMs(text), text).toEqual(Date.parse(text));
    }
  });
});

describe('a stored summary read back', () => {
  it('a valid one comes back as it was; one with a wrong field fails with the schema\'s error', () => {
    const s = summary(reopenedIncident());
    expect(parseSummary(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(() => parseSummary({ ...s, severity: 'SEV9' })).toThrow(/severity/);
    expect(() => parseSummary({ ...s, hops: 1.5 })).toThrow(/hops/);
    expect(() => parseSummary({ ...s, services: ['api', 3] })).toThrow(/services/);
    expect(() => parseSummary({ ...s, number: 0 })).toThrow(/number/); // positive() excludes 0
  });
});

describe('MTBF per service', () => {
  const at = (day: number, hour: number) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
  const s = (id: string, services: string[], declared: string, resolved: string): IncidentSummary => ({
    formula: 1, id, number: Number(id.slice(4)), title: id, status: 'closed', severity: 'SEV2', source: 'command',
    declaredAt: declared, resolvedAt: resolved, services, pages: 0, pagesEscalated: 0, pagesUnanswered: 0, events: 3,
  });

  it('runs from one resolution to the next declaration; an incident inside another overlaps and is left out', () => {
    const all = [
      s('inc-1', ['db'], at(1, 0), at(1, 2)),
      s('inc-2', ['db', 'api'], at(3, 2), at(3, 10)), // 2 days after inc-1 was resolved
      s('inc-3', ['db'], at(3, 4), at(3, 5)), // during inc-2: overlaps
      s('inc-4', ['db'], at(4, 10), at(4, 11)), // 24 h after inc-2 (not inc-3) was resolved
    ];
    const [db, api] = mtbfByService(all);
    expect(db).toMatchObject({ service: 'db', incidents: 4, overlapping: 1, count: 2, notApplicable: 2, median: 36 * 3600_000, p90: 48 * 3600_000 });
    expect(api).toMatchObject({ service: 'api', incidents: 1, count: 0, notApplicable: 1 });
  });
});

describe('buckets in the organisation time zone', () => {
  it('a Berlin week holding the spring DST change is 167 hours long', () => {
    const weeks = bucketsBetween(new Date('2026-03-24T00:00:00Z'), new Date('2026-04-01T00:00:00Z'), 'week', 'Europe/Berlin');
    expect(weeks).toEqual([
      { label: '2026-W13', start: '2026-03-22T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z' },
      { label: '2026-W14', start: '2026-03-29T22:00:00.000Z', end: '2026-04-05T22:00:00.000Z' },
    ]);
  });

  it('October in Berlin ends when November starts on the local clock, after the autumn change', () => {
    const [october] = bucketsBetween(new Date('2026-10-15T00:00:00Z'), new Date('2026-10-16T00:00:00Z'), 'month', 'Europe/Berlin');
    expect(october).toEqual({ label: '2026-10', start: '2026-09-30T22:00:00.000Z', end: '2026-10-31T23:00:00.000Z' });
  });

  it('ISO week numbers follow the Thursday: 29 Dec 2025 starts 2026-W01', () => {
    const [week] = bucketsBetween(new Date('2025-12-30T12:00:00Z'), new Date('2025-12-31T00:00:00Z'), 'week', 'UTC');
    expect(week?.label).toBe('2026-W01');
  });
});

describe('a report over several incidents', () => {
  const stories = [reopenedIncident(), unansweredIncident(), unpagedAlertIncident()];
  const summaries = stories.map(summary);
  const query = InsightsQuery.parse({ from: new Date('2026-03-23T00:00:00Z'), to: new Date('2026-04-05T22:00:00Z'), bucket: 'week', timeZone: 'Europe/Berlin' });

  it('counts the incidents each measure leaves out beside every figure', () => {
    const report = buildReport(matching(summaries, query), query);
    const byId = Object.fromEntries(report.measures.map((m) => [m.id, m.stat]));
    expect(report.incidents).toBe(3);
    expect(byId.acknowledge).toMatchObject({ count: 1, notApplicable: 2, median: 15 * MIN, p90: 15 * MIN });
    expect(byId.resolve).toMatchObject({ count: 3, notApplicable: 0, median: 60 * MIN, p90: 120 * MIN });
    expect(byId.detect).toMatchObject({ count: 1, notApplicable: 2, median: 10 * MIN });
    expect(byId.hops).toMatchObject({ count: 2, notApplicable: 1, median: 1, p90: 2 });
    expect(byId.rightTeam).toMatchObject({ count: 2, notApplicable: 1, median: 0.5 * MIN });
    expect(report.firstOwnerKept).toEqual({ kept: 2, count: 2, notApplicable: 1, share: 1 });
    expect(report.bySeverity).toEqual({ SEV1: 1, SEV2: 1, SEV3: 1, SEV4: 0 });
    expect(report.bySource).toEqual({ command: 2, alert: 1 });
    expect(report.pages).toEqual({ sent: 2, escalated: 2, unanswered: 1, incidentsEscalated: 2, incidentsUnanswered: 1 });
    expect(report.byOrigin).toEqual([{ service: 'unknown', incidents: 2 }, { service: 'payments', incidents: 1 }]);
  });

  it('puts the incident declared Monday 00:30 in Berlin (Sunday 22:30 UTC) in the new week, not the old one', () => {
    const report = buildReport(matching(summaries, query), query);
    expect(report.trend.map((p) => [p.label, p.incidents])).toEqual([
      ['2026-W13', 2],
      ['2026-W14', 1],
    ]);
    expect(report.trend[1]?.measures.resolve).toMatchObject({ count: 1, median: 60 * MIN });
  });

  it('narrows to one team or one service', () => {
    expect(matching(summaries, { ...query, team: 'team-x' }).map((s) => s.number)).toEqual([7]);
    expect(matching(summaries, { ...query, service: 'payments' }).map((s) => s.number)).toEqual([9, 8]);
    const report = buildReport(matching(summaries, query), query);
    expect(report.mtbf.find((m) => m.service === 'payments')).toMatchObject({ incidents: 2, count: 1, median: Date.parse('2026-03-29T22:30:00Z') - Date.parse('2026-03-25T11:00:00Z') });
  });
});
