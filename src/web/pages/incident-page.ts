import { randomUUID } from 'node:crypto';
import { actorLabel } from '../../domain/actor.js';
import type { Incident } from '../../domain/incident.js';
import { incidentLabel } from '../../domain/incident.js';
import { SEVERITIES } from '../../domain/severity.js';
import { allowedTransitions } from '../../domain/status.js';
import type { TimelineEvent } from '../../domain/timeline.js';
import { html, type Safe } from '../html.js';
import type { TimelineDigest, TimelinePage } from '../../store/timeline-pages.js';
import { timelineEntry, type TimelineEntry } from '../timeline-text.js';

const time = (iso: string | undefined) => (iso ? html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 19)} UTC</time>` : '—');

/** The hand-off ledger and the alerts' counts come from the timeline; the rest is the incident's state. */
export function incidentCard(incident: Incident, events: readonly TimelineEvent[]): Safe {
  const handoffs = events.filter((e): e is Extract<TimelineEvent, { type: 'owner_changed' }> => e.type === 'owner_changed');
  const alerts = new Map<string, { title: string; source: string; count: number; resolved: boolean; url?: string }>();
  for (const e of events) {
    if (e.type === 'alert_fired') {
      const seen = alerts.get(e.fingerprint);
      alerts.set(e.fingerprint, { title: e.title, source: e.source, count: Math.max(e.count, (seen?.count ?? 0) + 1), resolved: false, ...(e.url ? { url: e.url } : {}) });
    } else if (e.type === 'alert_resolved') {
      const seen = alerts.get(e.fingerprint);
      if (seen) seen.resolved = true;
    }
  }
  const role = (name: 'lead' | 'comms' | 'scribe') => (incident.roles[name] ? actorLabel(incident.roles[name]) : '—');
  return html`<div class="card">
<dl>
  <dt>Severity</dt><dd class="sev-${incident.severity}">${incident.severity}${incident.highestSeverity !== incident.severity ? ` (highest ${incident.highestSeverity})` : ''}</dd>
  <dt>Status</dt><dd class="status-${incident.status}" data-field="status">${incident.status}</dd>
  <dt>Declared</dt><dd>${time(incident.declaredAt)} by ${actorLabel(incident.declaredBy)}</dd>
  <dt>Room</dt><dd>${incident.room?.url ? html`<a href="${incident.room.url}">${incident.room.name ?? 'open the room'}</a>` : incident.room ? (incident.room.name ?? incident.room.id) : 'not open yet'}</dd>
</dl>
<dl>
  <dt>Lead</dt><dd>${role('lead')}</dd><dt>Comms</dt><dd>${role('comms')}</dd><dt>Scribe</dt><dd>${role('scribe')}</dd>
  <dt>Suspected owner</dt><dd>${incident.suspectedOwner ? `${incident.suspectedOwner.team} (via ${incident.suspectedOwner.via})` : '—'}</dd>
  <dt>Hand-offs</dt><dd>${handoffs.length ? html`<ol>${handoffs.map((h) => html`<li>${h.fromTeam ?? '—'} → ${h.toTeam}${h.reason ? `: ${h.reason}` : ''} (${actorLabel(h.actor)}, ${time(h.at)})</li>`)}</ol>` : 'none'}</dd>
</dl>
<dl>
  <dt>Pages</dt><dd>${
    incident.pages.length
      ? html`<ul>${incident.pages.map(
          (p) =>
            html`<li>${p.team ?? 'a person'}, level ${p.level}: ${p.status}${p.acknowledgedBy ? html` by ${actorLabel(p.acknowledgedBy)} at ${time(p.acknowledgedAt)}` : ''}${
              p.status === 'pending' && p.nextEscalationAt ? html`; next escalation ${time(p.nextEscalationAt)}` : ''
            }</li>`,
        )}</ul>`
      : 'none'
  }</dd>
  <dt>Alerts</dt><dd>${alerts.size ? html`<ul>${[...alerts.values()].map((a) => html`<li>${a.url ? html`<a href="${a.url}">${a.title}</a>` : a.title} (${a.source}, ×${a.count}${a.resolved ? ', resolved' : ''})</li>`)}</ul>` : 'none'}</dd>
  <dt>Trace</dt><dd>${incident.triage ? html`${incident.triage.summary}${incident.triage.outcome === 'ok' ? html` <a href="/incidents/${incident.number}/trace" data-link="trace-picture">trace picture</a>` : ''}${incident.triage.traceUrl ? html` <a href="${incident.triage.traceUrl}">trace</a>` : ''}` : '—'}</dd>
  <dt>Links</dt><dd>${incident.links.length ? html`<ul>${incident.links.map((l) => html`<li><a href="${l.url}">${l.label}</a></li>`)}</ul>` : '—'}</dd>
</dl>
</div>`;
}

function entryItem(entry: TimelineEntry, streamId: string): Safe {
  return html`<li data-id="${entry.id}" data-stream="${streamId}" data-kind="${entry.kind}"><time class="when" datetime="${entry.at}">${entry.at.replace('T', ' ').slice(0, 19)} UTC</time><div><span>${entry.text}</span><span class="actor"> — ${entry.actor}</span>${
    entry.link ? html` <a href="${entry.link}">message</a>` : ''
  }${entry.files?.length ? html` <span class="files">files: ${entry.files.map((f) => (f.url ? html`<a href="${f.url}">${f.name}</a> ` : html`${f.name} `))}</span>` : ''}</div></li>`;
}

/** Actions the console offers, each a plain form through the same use cases as chat. */
function actions(incident: Incident): Safe {
  const base = `/incidents/${incident.number}`;
  const key = () => html`<input type="hidden" name="key" value="${randomUUID()}"><input type="hidden" name="_csrf" value="">`;
  const next = allowedTransitions(incident.status).filter((s) => s !== 'closed');
  return html`<section class="actions" aria-labelledby="act"><h2 id="act">Act</h2>
<form method="post" action="${base}/note">${key()}<label for="note-text">Note</label> <input id="note-text" name="text" required maxlength="3000" size="50"> <button type="submit">Add note</button></form>
${next.length ? html`<form method="post" action="${base}/status">${key()}<label for="status-to">Status</label> <select id="status-to" name="to">${next.map((s) => html`<option>${s}</option>`)}</select> <input name="message" placeholder="message (optional)" maxlength="500"> <button type="submit">Change status</button></form>` : ''}
${incident.status !== 'resolved' && incident.status !== 'closed' ? html`<form method="post" action="${base}/resolve">${key()}<label for="resolve-summary">Resolve</label> <input id="resolve-summary" name="summary" placeholder="summary (optional)" maxlength="500" size="40"> <button type="submit">Resolve incident</button></form>` : ''}
<form method="post" action="${base}/severity">${key()}<label for="sev-to">Severity</label> <select id="sev-to" name="to">${SEVERITIES.map((s) => html`<option${s === incident.severity ? html` selected` : ''}>${s}</option>`)}</select> <button type="submit">Change severity</button></form>
</section>`;
}

/** The timeline arrives in pages: the newest entries with the page, older ones as the viewer asks. */
export const TIMELINE_PAGE = 300;

/** Entries as `<li>`s, for the page and for the "earlier entries" fragment. */
export function timelineItems(entries: TimelinePage['entries']): Safe {
  return html`${entries.map(({ streamId, event }) => entryItem(timelineEntry(event), streamId))}`;
}

function earlierLink(base: string, page: TimelinePage): Safe {
  const oldest = page.entries[0]?.streamId;
  if (!page.hasEarlier || !oldest) return html``;
  return html`<p id="timeline-earlier"><a href="${base}?before=${oldest}" data-src="${base}/timeline?before=${oldest}">Earlier entries</a> <span class="live">(${page.total} in all)</span></p>`;
}

/**
 * The incident with its newest timeline entries; `before` pages to older ones (a page of its own without
 * script, loaded above the list in place with it). The card and the kinds come from the whole timeline.
 */
export function incidentPage(incident: Incident, page: TimelinePage, digest: TimelineDigest, options: { before?: string } = {}): Safe {
  const base = `/incidents/${incident.number}`;
  const cursor = page.entries.at(-1)?.streamId ?? '0-0';
  const live = options.before ? undefined : `${base}/live?after=${encodeURIComponent(cursor)}`;
  return html`<h1>${incidentLabel(incident)}: ${incident.title}</h1>
<section id="card" data-src="${base}/card" aria-live="polite">${incidentCard(incident, digest.cardEvents)}</section>
${actions(incident)}
<section aria-labelledby="tl"><h2 id="tl">Timeline ${live ? html`<span id="live-state" class="live" data-state="connecting">connecting…</span>` : html`<a href="${base}">newest entries</a>`}</h2>
<label for="kind-filter">Show</label> <select id="kind-filter"><option value="">everything</option>${digest.kinds.map((k) => html`<option>${k}</option>`)}</select>
${earlierLink(base, page)}
<ol id="timeline" class="timeline"${live ? html` data-live="${live}"` : ''}>${timelineItems(page.entries)}</ol>
</section>`;
}

/** The fragment the page loads for "Earlier entries": the items, and the link to the ones before them. */
export function earlierFragment(incident: Incident, page: TimelinePage): Safe {
  return html`${earlierLink(`/incidents/${incident.number}`, page)}<ol>${timelineItems(page.entries)}</ol>`;
}
