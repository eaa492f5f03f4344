import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/domain/change.js';
import { summarizeIncident } from '../../src/domain/incident-summary.js';
import { FOLLOWED_CHANGE } from '../../src/domain/insights.js';
import { reportCsv, reportMarkdown } from '../../src/insights/format.js';
import { buildReport, InsightsQuery, matching } from '../../src/insights/report.js';
import { reopenedIncident, unansweredIncident, unpagedAlertIncident, type Story } from './histories.js';

const deploy = (service: string, startedAt: string, extra: Partial<Change> = {}): Change => ({
  changeId: `${service}-${startedAt}`, service, kind: 'deploy', startedAt, phases: [], source: 'generic', ...extra,
});
const withChanges = (story: Story, changes: Change[] | undefined): Story => ({ ...story, incident: { ...story.incident, ...(changes ? { changes } : {}) } });
const summary = (story: Story) => summarizeIncident(story.incident, story.timeline);

describe('incidents that followed a change within an hour', () => {
  // reopenedIncident is declared 2026-03-24T10:00Z, unansweredIncident 2026-03-25T10:00Z, unpagedAlertIncident 2026-03-29T22:30Z.
  it('a deploy 12 min before declaration counts; one finished 61 min before does not; a canary stepped to 100 % 5 min before does', () => {
    expect(summary(withChanges(reopenedIncident(), [deploy('api', '2026-03-24T09:48:00.000Z')])).followedChange).toBe(true);
    expect(summary(withChanges(reopenedIncident(), [deploy('api', '2026-03-24T08:00:00.000Z', { finishedAt: '2026-03-24T08:59:00.000Z' })])).followedChange).toBe(false);
    const canary = deploy('api', '2026-03-24T07:00:00.000Z', { phases: [{ rollout: 10, at: '2026-03-24T07:00:00.000Z' }, { rollout: 100, at: '2026-03-24T09:55:00.000Z' }] });
    expect(summary(withChanges(reopenedIncident(), [canary])).followedChange).toBe(true);
  });

  it('a change after the declaration is no cause; an incident with no changes collected is not applicable, not "no"', () => {
    expect(summary(withChanges(reopenedIncident(), [deploy('api', '2026-03-24T10:05:00.000Z')])).followedChange).toBe(false);
    expect(summary(withChanges(reopenedIncident(), [])).followedChange).toBe(false);
    expect(summary(withChanges(reopenedIncident(), undefined)).followedChange).toBeUndefined();
  });

  it('the report counts 1 of 2 (50 %), leaves the third out, and says so in Markdown and CSV', () => {
    const summaries = [
      summary(withChanges(reopenedIncident(), [deploy('api', '2026-03-24T09:30:00.000Z')])),
      summary(withChanges(unansweredIncident(), [])),
      summary(withChanges(unpagedAlertIncident(), undefined)),
    ];
    const query = InsightsQuery.parse({ from: new Date('2026-03-23T00:00:00Z'), to: new Date('2026-04-05T22:00:00Z') });
    const report = buildReport(matching(summaries, query), query);
    expect(report.followedChange).toEqual({ followed: 1, count: 2, notApplicable: 1, share: 0.5 });
    expect(reportMarkdown(report)).toContain(`- ${FOLLOWED_CHANGE.name} within an hour: 50 % (1 of 2; 1 with no changes collected) — ${FOLLOWED_CHANGE.formula}`);
    expect(reportCsv(report).split('\n')).toContain('all,,,followed_change,share,3,2,1,,,0.5');
    expect(JSON.parse(JSON.stringify(report)).followedChange.share).toBe(0.5);
  });

  it('with no incident carrying changes the share is absent, not 0 %', () => {
    const summaries = [summary(withChanges(reopenedIncident(), undefined))];
    const query = InsightsQuery.parse({ from: new Date('2026-03-23T00:00:00Z'), to: new Date('2026-04-05T22:00:00Z') });
    expect(buildReport(summaries, query).followedChange).toEqual({ followed: 0, count: 0, notApplicable: 1 });
  });

  it('per team, per service and per week on the Berlin clock: the Sunday-night alert after the DST change falls in the next week', () => {
    const summaries = [
      summary(withChanges(reopenedIncident(), [deploy('api', '2026-03-24T09:30:00.000Z')])), // team-x, api: followed
      summary(withChanges(unansweredIncident(), [])), // team-a, payments: collected, none
      summary(withChanges(unpagedAlertIncident(), undefined)), // no team, payments + checkout: not applicable; Mon 00:30 CEST
    ];
    const query = InsightsQuery.parse({ from: new Date('2026-03-22T23:00:00Z'), to: new Date('2026-04-05T22:00:00Z'), timeZone: 'Europe/Berlin' });
    const report = buildReport(matching(summaries, query), query);
    const of = (groups: typeof report.teams) => Object.fromEntries(groups.map((g) => [g.key, g.followedChange]));
    expect(of(report.teams)).toEqual({ 'team-x': { followed: 1, count: 1, notApplicable: 0, share: 1 }, 'team-a': { followed: 0, count: 1, notApplicable: 0, share: 0 } });
    expect(of(report.services)).toEqual({
      api: { followed: 1, count: 1, notApplicable: 0, share: 1 },
      payments: { followed: 0, count: 1, notApplicable: 1, share: 0 },
      checkout: { followed: 0, count: 0, notApplicable: 1 },
    });
    expect(report.trend.map((p) => [p.start.slice(0, 10), p.followedChange])).toEqual([
      ['2026-03-22', { followed: 1, count: 2, notApplicable: 0, share: 0.5 }],
      ['2026-03-29', { followed: 0, count: 0, notApplicable: 1 }],
    ]);

    const markdown = reportMarkdown(report);
    expect(markdown).toMatch(/\| team-x \| 1 \| .* \| 100 % \(1 of 1\) \|/);
    expect(markdown).toMatch(/\| checkout \| 1 \| .* \| — \(1 n\/a\) \|/);
    expect(markdown).toMatch(/\| 2026-W13 \| .* \| 50 % \(1 of 2\) \|/);
    const csv = reportCsv(report).split('\n');
    expect(csv).toContain('team,team-a,,followed_change,share,1,1,0,,,0');
    expect(csv).toContain('service,payments,,followed_change,share,2,1,1,,,0');
    expect(csv).toContain('service,checkout,,followed_change,share,1,0,1,,,');
  });
});
