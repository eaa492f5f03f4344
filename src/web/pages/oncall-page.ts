import type { TeamOnCall } from '../../paging/on-call-now.js';
import { html, type Safe } from '../html.js';

// The server writes UTC; console.js shows every <time> in the viewer's own zone.
const at = (d: Date) => html`<time datetime="${d.toISOString()}">${d.toISOString().replace('T', ' ').slice(0, 16)} UTC</time>`;

/** Per team: who each escalation level pages now, and when and to whom a schedule hands over. */
export function onCallPage(teams: TeamOnCall[] | undefined, now: Date): Safe {
  if (!teams) return html`<h1>On call</h1><p>No on-call configuration: set <code>ONCALL_FILE</code> to an oncall.yaml to see who is on call.</p>`;
  return html`<h1>On call now</h1>
<p class="muted">As of ${at(now)}. Hand-over times are in your time zone.</p>
${teams.map(
  (team) => html`<section class="oncall" aria-labelledby="team-${team.team}">
<h2 id="team-${team.team}">${team.team}</h2>
<table><thead><tr><th scope="col">Level</th><th scope="col">From</th><th scope="col">On call now</th><th scope="col">Next</th></tr></thead><tbody>
${team.levels.flatMap((level) =>
  level.entries.map(
    (entry, i) => html`<tr data-team="${team.team}" data-level="${level.level}">
<td>${i === 0 ? html`${level.level} <span class="muted">(${formatMinutes(level.timeoutMinutes)})</span>` : ''}</td>
<td>${entry.source}</td>
<td data-field="now">${entry.now.length ? entry.now.join(', ') : html`<span class="error">nobody</span>`}${
      entry.overrideFor !== undefined ? html` <span class="chip">override${entry.overrideFor ? ` for ${entry.overrideFor}` : ''}</span>` : ''
    }</td>
<td data-field="next">${entry.handover ? html`${entry.handover.to.length ? entry.handover.to.join(', ') : 'nobody'} from ${at(entry.handover.at)}` : html`<span class="muted">always (no rotation)</span>`}</td>
</tr>`,
  ),
)}
</tbody></table>
</section>`,
)}`;
}

function formatMinutes(minutes: number): string {
  return minutes < 1 ? `${Math.round(minutes * 60)} s` : `${Math.round(minutes)} min`;
}
