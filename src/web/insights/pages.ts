// The Insights pages, framework-agnostic: each takes the query string and returns what to send. The web
// console wires them behind sign-in (routes.ts); nothing here knows about HTTP servers.
import type { IncidentSummary } from '../../domain/incident-summary.js';
import { FOLLOWED_CHANGE, MEASURES, MTBF, type MeasureId, type Stat } from '../../domain/insights.js';
import { parseSeverity, SEVERITIES } from '../../domain/severity.js';
import { figure, followedCell, percent, statLine } from '../../insights/format.js';
import { InsightsQuery, parseSince, type GroupStats, type InsightsReport } from '../../insights/report.js';
import type { Insights } from '../../insights/service.js';
import { formatLocal } from '../../paging/local-time.js';
import { escapeHtml as e, layout, STYLESHEET } from './html.js';
import { barChart, lineChart, type ChartPoint } from './svg.js';

export interface WebResponse {
  status: number;
  contentType: string;
  body: string;
}

export interface InsightsWebDeps {
  insights: Insights;
  /** TIME_ZONE: buckets and dates as the organisation reads them. */
  timeZone: string;
  now?: () => Date;
}

const HTML = 'text/html; charset=utf-8';
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const JSON_TYPE = 'application/json; charset=utf-8';

type Parsed = { ok: true; query: InsightsQuery } | { ok: false; error: string };

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/;

/** `from`/`to` as a local date (midnight in TIME_ZONE) or an exact instant (the links on chart points). */
function moment(text: string, now: Date, timeZone: string): Date | undefined {
  if (INSTANT.test(text)) {
    const at = new Date(text);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseSince(text, now, timeZone) : undefined;
}

/** Reads `since` (90d) or `from`/`to`, `team`, `service`, `severity`, `bucket`; a bad value is named in the error. */
export function parseInsightsParams(params: URLSearchParams, now: Date, timeZone: string): Parsed {
  const get = (name: string) => params.get(name)?.trim() || undefined;
  const since = get('since');
  const fromText = get('from');
  const toText = get('to');
  const from = fromText ? moment(fromText, now, timeZone) : parseSince(since ?? '90d', now, timeZone);
  if (!from) return { ok: false, error: fromText ? `from "${fromText}" is not a date such as 2026-03-01` : `since "${since}" is not a span such as 90d, 12w or 6m, or a date` };
  const to = toText ? moment(toText, now, timeZone) : now;
  if (!to) return { ok: false, error: `to "${toText}" is not a date such as 2026-03-31` };
  if (to <= from) return { ok: false, error: 'the end of the range must come after its start' };
  if (to.getTime() - from.getTime() > 3 * 366 * 86_400_000) return { ok: false, error: 'choose a range of at most three years' };
  const severityText = get('severity');
  const severity = severityText ? parseSeverity(severityText) : undefined;
  if (severityText && !severity) return { ok: false, error: `severity "${severityText}" is not one of ${SEVERITIES.join(', ')}` };
  const bucket = get('bucket') ?? 'week';
  if (bucket !== 'week' && bucket !== 'month') return { ok: false, error: `bucket "${bucket}" must be week or month` };
  return { ok: true, query: InsightsQuery.parse({ from, to, team: get('team'), service: get('service'), severity, bucket, timeZone }) };
}

/** The query string of a page showing `query` with some parts replaced. */
function link(path: string, query: InsightsQuery, changes: Partial<Record<'from' | 'to' | 'team' | 'service' | 'severity' | 'bucket', string | undefined>> = {}): string {
  const base: Record<string, string | undefined> = {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    team: query.team,
    service: query.service,
    severity: query.severity,
    bucket: query.bucket,
    ...changes,
  };
  const params = new URLSearchParams(Object.entries(base).filter((kv): kv is [string, string] => Boolean(kv[1])));
  return `${path}?${params.toString()}`;
}

const badRequest = (message: string, html: boolean): WebResponse =>
  html
    ? { status: 400, contentType: HTML, body: layout('Insights', `<h1>Incident insights</h1><p class="error">${e(message)}. <a href="/insights">Show the last 90 days</a>.</p>`) }
    : { status: 400, contentType: JSON_TYPE, body: JSON.stringify({ ok: false, error: message }) };

const now = (deps: InsightsWebDeps) => (deps.now ?? (() => new Date()))();

/** `GET /api/insights`: the report as JSON (durations in milliseconds). */
export async function getInsightsApi(deps: InsightsWebDeps, params: URLSearchParams): Promise<WebResponse> {
  const parsed = parseInsightsParams(params, now(deps), deps.timeZone);
  if (!parsed.ok) return badRequest(parsed.error, false);
  return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(await deps.insights.report(parsed.query)) };
}

/** `GET /insights/insights.css` */
export function getInsightsStylesheet(): WebResponse {
  return { status: 200, contentType: 'text/css; charset=utf-8', body: STYLESHEET };
}

const measure = (id: MeasureId) => MEASURES.find((m) => m.id === id)!;
const statTitle = (label: string, id: MeasureId, s: Stat) => `${label}: ${measure(id).name} ${statLine(measure(id).unit, s)}`;
const durationAxis = (v: number) => figure('duration', Math.round(v / 60_000) * 60_000);

function scope(query: InsightsQuery, timeZone: string): string {
  const day = (d: Date) => formatLocal(d, timeZone);
  const parts = [query.team && `team <b>${e(query.team)}</b>`, query.service && `service <b>${e(query.service)}</b>`, query.severity && `<b>${query.severity}</b>`].filter(Boolean);
  return `declared ${e(day(query.from))} → ${e(day(query.to))} (${e(timeZone)})${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
}

function filters(query: InsightsQuery, report: InsightsReport, timeZone: string): string {
  const day = (d: Date) => formatLocal(d, timeZone).slice(0, 10);
  const options = (values: string[], selected?: string) => values.map((v) => `<option${v === selected ? ' selected' : ''}>${e(v)}</option>`).join('');
  return [
    '<form class="filters" method="get" action="/insights">',
    `<label>From <input type="date" name="from" value="${day(query.from)}"></label>`,
    `<label>To (exclusive) <input type="date" name="to" value="${day(query.to)}"></label>`,
    `<label>Team <input name="team" list="teams" value="${e(query.team ?? '')}"></label><datalist id="teams">${options(report.teams.map((t) => t.key))}</datalist>`,
    `<label>Service <input name="service" list="services" value="${e(query.service ?? '')}"></label><datalist id="services">${options(report.services.map((s) => s.key))}</datalist>`,
    `<label>Severity <select name="severity"><option value="">all</option>${options([...SEVERITIES], query.severity)}</select></label>`,
    `<label>Per <select name="bucket">${options(['week', 'month'], query.bucket)}</select></label>`,
    '<button type="submit">Show</button></form>',
  ].join('');
}

function figures(report: InsightsReport): string {
  const cards = report.measures.map(
    (m) =>
      `<div class="figure" title="${e(m.formula)} · reads ${e(m.reads)}"><div>${e(m.name)}</div><div class="value">${e(figure(m.unit, m.stat.median))}</div><div class="n">median · p90 ${e(figure(m.unit, m.stat.p90))} · n=${m.stat.count}${m.stat.notApplicable ? ` · ${m.stat.notApplicable} not applicable (${e(m.notApplicable)})` : ''}</div></div>`,
  );
  const kept = report.firstOwnerKept;
  cards.push(
    `<div class="figure"><div>First suspected team kept</div><div class="value">${percent(kept.share)}</div><div class="n">${kept.kept} of ${kept.count}${kept.notApplicable ? ` · ${kept.notApplicable} with no owner recorded` : ''}</div></div>`,
    `<div class="figure" title="${e(FOLLOWED_CHANGE.formula)} · reads ${e(FOLLOWED_CHANGE.reads)}"><div>${e(FOLLOWED_CHANGE.name)} within an hour</div><div class="value">${percent(report.followedChange.share)}</div><div class="n">${report.followedChange.followed} of ${report.followedChange.count}${report.followedChange.notApplicable ? ` · ${report.followedChange.notApplicable} not applicable (${e(FOLLOWED_CHANGE.notApplicable)})` : ''}</div></div>`,
    `<div class="figure"><div>Pages that reached level 2+</div><div class="value">${report.pages.escalated}</div><div class="n">of ${report.pages.sent} pages · ${plural(report.pages.incidentsEscalated, 'incident')}</div></div>`,
    `<div class="figure"><div>Pages nobody answered</div><div class="value">${report.pages.unanswered}</div><div class="n">${plural(report.pages.incidentsUnanswered, 'incident')}</div></div>`,
  );
  return `<div class="figures">${cards.join('')}</div>`;
}

const cellOf = (id: MeasureId, s: Stat) => (s.count ? `${e(figure(measure(id).unit, s.median))} / ${e(figure(measure(id).unit, s.p90))} <span class="note">n=${s.count}${s.notApplicable ? `, ${s.notApplicable} n/a` : ''}</span>` : `— <span class="note">${s.notApplicable} n/a</span>`);

function groupTable(first: string, groups: GroupStats[], href: (g: GroupStats) => string): string {
  const ids: MeasureId[] = ['acknowledge', 'resolve', 'rightTeam', 'hops'];
  const head = `<tr><th>${e(first)}</th><th class="num">Incidents</th>${ids.map((id) => `<th>${e(measure(id).name)} median / p90</th>`).join('')}<th>${e(FOLLOWED_CHANGE.name)}</th></tr>`;
  const rows = groups.map((g) => `<tr><td><a href="${e(href(g))}">${e(g.key)}</a></td><td class="num">${g.incidents}</td>${ids.map((id) => `<td>${cellOf(id, g.measures[id])}</td>`).join('')}<td>${e(followedCell(g.followedChange))}</td></tr>`);
  return `<table>${head}${rows.join('')}</table>`;
}

/** `GET /insights`: the page. */
export async function getInsightsPage(deps: InsightsWebDeps, params: URLSearchParams): Promise<WebResponse> {
  const parsed = parseInsightsParams(params, now(deps), deps.timeZone);
  if (!parsed.ok) return badRequest(parsed.error, true);
  const { query } = parsed;
  const report = await deps.insights.report(query);
  const list = (changes: Parameters<typeof link>[2]) => link('/insights/incidents', query, changes);
  const bucketLink = (p: InsightsReport['trend'][number]) => list({ from: p.start, to: p.end });

  const perBucket: ChartPoint[] = report.trend.map((p) => ({ label: p.label, value: p.incidents, href: bucketLink(p), title: `${p.label}: ${plural(p.incidents, 'incident')} (${SEVERITIES.map((s) => `${s} ${p.bySeverity[s]}`).join(', ')})` }));
  const trendOf = (id: MeasureId): ChartPoint[] => report.trend.map((p) => ({ label: p.label, value: p.measures[id].median, href: bucketLink(p), title: statTitle(p.label, id, p.measures[id]) }));
  const teamPoints: ChartPoint[] = report.teams.map((t) => ({ label: t.key, value: t.measures.rightTeam.median, href: list({ team: t.key }), title: statTitle(t.key, 'rightTeam', t.measures.rightTeam) }));
  const mtbfPoints: ChartPoint[] = report.mtbf.map((m) => ({ label: m.service, value: m.median, href: list({ service: m.service }), title: `${m.service}: MTBF ${statLine('duration', m)}, ${m.overlapping} overlapping` }));

  const body = [
    `<nav><a href="/incidents">Incidents</a></nav>`,
    `<h1>Incident insights</h1>`,
    `<p>${plural(report.incidents, 'resolved incident')} ${scope(query, deps.timeZone)}. <a href="${e(list({}))}">List them</a> · <a href="${e(link('/api/insights', query))}">JSON</a></p>`,
    filters(query, report, deps.timeZone),
    figures(report),
    `<h2>Incidents per ${query.bucket}</h2>`,
    barChart(`Incidents per ${query.bucket}`, perBucket, (v) => String(Math.round(v))),
    `<table><tr><th>${query.bucket === 'week' ? 'Week' : 'Month'}</th><th>Starts</th><th class="num">Incidents</th>${SEVERITIES.map((s) => `<th class="num">${s}</th>`).join('')}</tr>${report.trend
      .map((p) => `<tr><td><a href="${e(bucketLink(p))}">${e(p.label)}</a></td><td>${e(formatLocal(new Date(p.start), deps.timeZone))}</td><td class="num">${p.incidents}</td>${SEVERITIES.map((s) => `<td class="num">${p.bySeverity[s]}</td>`).join('')}</tr>`)
      .join('')}</table>`,
    `<h2>MTTA and MTTR over time (medians)</h2>`,
    lineChart(
      'MTTA and MTTR medians over time',
      [
        { name: 'MTTA', cls: 'series-0', points: trendOf('acknowledge') },
        { name: 'MTTR', cls: 'series-1', points: trendOf('resolve') },
      ],
      durationAxis,
    ),
    `<table><tr><th>${query.bucket === 'week' ? 'Week' : 'Month'}</th>${(['detect', 'acknowledge', 'mitigate', 'resolve'] as const).map((id) => `<th>${e(measure(id).name)} median / p90</th>`).join('')}<th>${e(FOLLOWED_CHANGE.name)}</th></tr>${report.trend
      .map((p) => `<tr><td><a href="${e(bucketLink(p))}">${e(p.label)}</a></td>${(['detect', 'acknowledge', 'mitigate', 'resolve'] as const).map((id) => `<td>${cellOf(id, p.measures[id])}</td>`).join('')}<td>${e(followedCell(p.followedChange))}</td></tr>`)
      .join('')}</table>`,
    `<h2>Time to the right team, by the team that owned the incident</h2>`,
    barChart('Median time to the right team by team', teamPoints, durationAxis, 'series-2'),
    groupTable('Team', report.teams, (g) => list({ team: g.key })),
    `<h2>MTBF by service</h2><p class="note">${e(MTBF.formula)}.</p>`,
    barChart('Median MTBF by service', mtbfPoints, durationAxis, 'series-3'),
    `<table><tr><th>Service</th><th class="num">Incidents</th><th>MTBF median</th><th>p90</th><th class="num">Gaps</th><th class="num">Overlapping</th></tr>${report.mtbf
      .map((m) => `<tr><td><a href="${e(list({ service: m.service }))}">${e(m.service)}</a></td><td class="num">${m.incidents}</td><td>${e(figure('duration', m.median))}</td><td>${e(figure('duration', m.p90))}</td><td class="num">${m.count}</td><td class="num">${m.overlapping}</td></tr>`)
      .join('')}</table>`,
    `<h2>By service</h2>`,
    groupTable('Service', report.services, (g) => list({ service: g.key })),
    `<h2>By severity</h2>`,
    groupTable('Severity', report.severities, (g) => list({ severity: g.key })),
    `<p class="note">By source: ${report.bySource.command} declared by a person, ${report.bySource.alert} by an alert. By origin service: ${report.byOrigin.map((o) => `${e(o.service)} ${o.incidents}`).join(', ') || '—'}.</p>`,
  ];
  return { status: 200, contentType: HTML, body: layout('Insights', body.join('\n')) };
}

/** `GET /insights/incidents`: the incidents behind a chart point. */
export async function getInsightsIncidents(deps: InsightsWebDeps, params: URLSearchParams): Promise<WebResponse> {
  const parsed = parseInsightsParams(params, now(deps), deps.timeZone);
  if (!parsed.ok) return badRequest(parsed.error, true);
  const { query } = parsed;
  const incidents = await deps.insights.incidents(query);
  const d = (ms: number | undefined) => e(figure('duration', ms));
  const row = (s: IncidentSummary) =>
    `<tr><td><a href="/incidents/${s.number}">INC-${s.number}</a></td><td>${e(s.title)}</td><td>${s.severity}</td><td>${e(s.team ?? '—')}</td><td>${e(s.services.join(', ') || '—')}</td><td>${e(formatLocal(new Date(s.declaredAt), deps.timeZone))}</td><td>${d(s.acknowledgeMs)}</td><td>${d(s.resolveMs)}</td><td class="num">${s.hops ?? '—'}</td></tr>`;
  const body = [
    `<nav><a href="${e(link('/insights', query))}">← Insights</a> · <a href="/incidents">Incidents</a></nav>`,
    `<h1>${incidents.length} incident${incidents.length === 1 ? '' : 's'}</h1>`,
    `<p>Resolved incidents ${scope(query, deps.timeZone)}.</p>`,
    `<table><tr><th>Incident</th><th>Title</th><th>Severity</th><th>Team</th><th>Services</th><th>Declared</th><th>MTTA</th><th>MTTR</th><th class="num">Hops</th></tr>${incidents.map(row).join('')}</table>`,
  ];
  return { status: 200, contentType: HTML, body: layout('Insights · incidents', body.join('\n')) };
}
