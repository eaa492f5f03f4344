import type { IncidentPage, IncidentQuery } from '../../domain/incident-row.js';
import { SEVERITIES } from '../../domain/severity.js';
import { STATUSES } from '../../domain/status.js';
import { html, type Safe } from '../html.js';

function age(declaredAt: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(declaredAt)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

function pageLink(query: IncidentQuery, page: number): string {
  const params = new URLSearchParams();
  for (const key of ['status', 'severity', 'team', 'service', 'source', 'search'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  params.set('page', String(page));
  return `/incidents?${params.toString()}`;
}

/** The incident list: open first, then history; filters in a plain GET form so links can be shared. */
export function incidentListPage(result: IncidentPage, query: IncidentQuery, now: Date): Safe {
  const select = (name: string, label: string, options: readonly string[], value: string | undefined) =>
    html`<label>${label}<select name="${name}"><option value="">any</option>${options.map((o) => html`<option${o === value ? html` selected` : ''}>${o}</option>`)}</select></label>`;
  const text = (name: string, label: string, value: string | undefined) => html`<label>${label}<input name="${name}" value="${value ?? ''}"></label>`;
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  return html`<h1>Incidents</h1>
<form class="filters" method="get" action="/incidents" role="search">
  ${select('status', 'Status', ['open', ...STATUSES], query.status)} ${select('severity', 'Severity', SEVERITIES, query.severity)}
  ${text('team', 'Team', query.team)} ${text('service', 'Service', query.service)} ${text('source', 'Source', query.source)}
  <label>Title<input type="search" name="search" value="${query.search ?? ''}"></label>
  <button type="submit">Filter</button> <a href="/incidents">Clear</a>
</form>
<table>
<thead><tr><th>#</th><th>Title</th><th>Severity</th><th>Status</th><th>Lead</th><th>Team</th><th>Age</th><th>Room</th></tr></thead>
<tbody>${result.rows.map(
    (r) => html`<tr>
<td><a href="/incidents/${r.number}">INC-${r.number}</a></td><td><a href="/incidents/${r.number}">${r.title}</a></td>
<td class="sev-${r.severity}">${r.severity}</td><td class="status-${r.status}">${r.status}</td><td>${r.lead ?? '—'}</td><td>${r.team ?? '—'}</td>
<td><time datetime="${r.declaredAt}" data-relative>${age(r.declaredAt, now)}</time></td>
<td>${r.roomUrl ? html`<a href="${r.roomUrl}">${r.roomName ?? 'room'}</a>` : (r.roomName ?? '—')}</td></tr>`,
  )}</tbody>
</table>
${result.rows.length === 0 ? html`<p>No incidents match.</p>` : ''}
<nav class="pager" aria-label="Pages">
  ${result.page > 1 ? html`<a href="${pageLink(query, result.page - 1)}" rel="prev">← Newer</a>` : ''}
  <span>Page ${result.page} of ${pages} · ${result.total} incidents</span>
  ${result.page < pages ? html`<a href="${pageLink(query, result.page + 1)}" rel="next">Older →</a>` : ''}
</nav>`;
}
