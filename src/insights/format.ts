import { FOLLOWED_CHANGE, MEASURES, MTBF, type MeasureSpec, type Stat } from '../domain/insights.js';
import { formatLocal } from '../paging/local-time.js';
import { formatDuration } from '../postmortem/time.js';
import type { GroupStats, InsightsReport } from './report.js';

/** A figure as people read it: "12 min", "1.5" hops; "—" when no incident had a value. */
export function figure(unit: MeasureSpec['unit'], value: number | undefined): string {
  if (value === undefined) return '—';
  if (unit === 'count') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  return formatDuration(value);
}

/** "median 12 min · p90 40 min (n=31, 4 not applicable)" */
export function statLine(unit: MeasureSpec['unit'], s: Stat): string {
  if (s.count === 0) return `no value (${s.notApplicable} not applicable)`;
  return `median ${figure(unit, s.median)} · p90 ${figure(unit, s.p90)} (n=${s.count}${s.notApplicable ? `, ${s.notApplicable} not applicable` : ''})`;
}

export const percent = (share: number | undefined) => (share === undefined ? '—' : `${Math.round(share * 100)} %`);

function scopeOf(report: InsightsReport): string {
  const q = report.query;
  const narrowed = [q.team && `team ${q.team}`, q.service && `service ${q.service}`, q.severity].filter(Boolean).join(', ');
  const day = (iso: string) => formatLocal(new Date(iso), q.timeZone).slice(0, 10);
  return `${day(q.from)} → ${day(q.to)}${narrowed ? ` · ${narrowed}` : ''} · ${q.timeZone}`;
}

/** "Followed a change within an hour: 40 % (2 of 5; 1 with no changes collected)" */
export function followedChangeLine(report: InsightsReport): string {
  const f = report.followedChange;
  return `${FOLLOWED_CHANGE.name} within an hour: ${percent(f.share)} (${f.followed} of ${f.count}${f.notApplicable ? `; ${f.notApplicable} with no changes collected` : ''})`;
}

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

function groupTable(title: string, groups: GroupStats[]): string[] {
  if (groups.length === 0) return [];
  const measures = MEASURES.filter((m) => m.id === 'acknowledge' || m.id === 'resolve' || m.id === 'hops' || m.id === 'rightTeam');
  return [
    `## ${title}`,
    '',
    row([title.replace(/^By /, ''), 'incidents', ...measures.map((m) => `${m.name} (median / p90, n)`), 'followed a change']),
    row(['---', '---:', ...measures.map(() => '---'), '---']),
    ...groups.map((g) => row([g.key, g.incidents, ...measures.map((m) => cell(m, g.measures[m.id])), followedCell(g.followedChange)])),
    '',
  ];
}

/** "40 % (2 of 5)", or "— (3 n/a)" when no incident of the group had its changes collected. */
export const followedCell = (f: GroupStats['followedChange']) => (f.count ? `${percent(f.share)} (${f.followed} of ${f.count})` : `— (${f.notApplicable} n/a)`);

const cell = (m: MeasureSpec, s: Stat) => (s.count ? `${figure(m.unit, s.median)} / ${figure(m.unit, s.p90)}, n=${s.count}` : `— (${s.notApplicable} n/a)`);

/** The report as Markdown: the figures, then per team, service, severity and over time. */
export function reportMarkdown(report: InsightsReport): string {
  const lines = [`# Incident insights`, '', `${report.incidents} resolved incident${report.incidents === 1 ? '' : 's'} declared ${scopeOf(report)}.`, ''];
  lines.push(row(['Measure', 'Median', 'p90', 'Incidents', 'Not applicable', 'Formula']), row(['---', '---:', '---:', '---:', '---:', '---']));
  for (const m of report.measures) lines.push(row([m.name, figure(m.unit, m.stat.median), figure(m.unit, m.stat.p90), m.stat.count, m.stat.notApplicable, m.formula]));
  const kept = report.firstOwnerKept;
  lines.push(
    '',
    `- First suspected team was the final owner: ${percent(kept.share)} (${kept.kept} of ${kept.count}; ${kept.notApplicable} with no owner recorded)`,
    `- ${followedChangeLine(report)} — ${FOLLOWED_CHANGE.formula}`,
    `- By severity: ${Object.entries(report.bySeverity).map(([s, n]) => `${s} ${n}`).join(', ')}`,
    `- By source: ${report.bySource.command} declared by a person, ${report.bySource.alert} by an alert`,
    `- By origin service: ${report.byOrigin.map((o) => `${o.service} ${o.incidents}`).join(', ') || '—'}`,
    `- Pages: ${report.pages.sent} sent; ${report.pages.escalated} reached level 2+ (${report.pages.incidentsEscalated} incidents); ${report.pages.unanswered} nobody answered (${report.pages.incidentsUnanswered} incidents)`,
    '',
  );
  if (report.mtbf.length) {
    lines.push(`## MTBF by service`, '', `${MTBF.formula}.`, '', row(['Service', 'Incidents', 'MTBF median', 'p90', 'Gaps', 'Overlapping']), row(['---', '---:', '---:', '---:', '---:', '---:']));
    for (const m of report.mtbf) lines.push(row([m.service, m.incidents, figure('duration', m.median), figure('duration', m.p90), m.count, m.overlapping]));
    lines.push('');
  }
  lines.push(...groupTable('By team', report.teams), ...groupTable('By service', report.services), ...groupTable('By severity', report.severities));
  lines.push(`## Over time (${report.query.bucket}s)`, '', row(['Bucket', 'Starts', 'Incidents', 'MTTA median', 'MTTR median', 'Followed a change', 'SEV1', 'SEV2', 'SEV3', 'SEV4']), row(['---', '---', '---:', '---:', '---:', '---', '---:', '---:', '---:', '---:']));
  for (const p of report.trend) {
    lines.push(row([p.label, p.start, p.incidents, figure('duration', p.measures.acknowledge.median), figure('duration', p.measures.resolve.median), followedCell(p.followedChange), p.bySeverity.SEV1, p.bySeverity.SEV2, p.bySeverity.SEV3, p.bySeverity.SEV4]));
  }
  return `${lines.join('\n')}\n`;
}

const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per scope × measure; durations in milliseconds, for spreadsheets. */
export function reportCsv(report: InsightsReport): string {
  const rows: Array<Array<string | number | undefined>> = [['scope', 'key', 'bucket_start', 'measure', 'unit', 'incidents', 'count', 'not_applicable', 'median', 'p90', 'mean']];
  const add = (scope: string, key: string, start: string, incidents: number, stats: Record<string, Stat>, f: GroupStats['followedChange']) => {
    for (const m of MEASURES) {
      const s = stats[m.id]!;
      rows.push([scope, key, start, m.id, m.unit === 'duration' ? 'ms' : 'count', incidents, s.count, s.notApplicable, s.median, s.p90, s.mean]);
    }
    // A yes/no per incident: its mean is the share that followed a change.
    rows.push([scope, key, start, 'followed_change', 'share', incidents, f.count, f.notApplicable, undefined, undefined, f.share]);
  };
  add('all', '', '', report.incidents, Object.fromEntries(report.measures.map((m) => [m.id, m.stat])), report.followedChange);
  for (const g of report.teams) add('team', g.key, '', g.incidents, g.measures, g.followedChange);
  for (const g of report.services) add('service', g.key, '', g.incidents, g.measures, g.followedChange);
  for (const g of report.severities) add('severity', g.key, '', g.incidents, g.measures, g.followedChange);
  for (const p of report.trend) add(report.query.bucket, p.label, p.start, p.incidents, p.measures, p.followedChange);
  for (const m of report.mtbf) rows.push(['mtbf', m.service, '', 'mtbf', 'ms', m.incidents, m.count, m.notApplicable, m.median, m.p90, m.mean]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}
