import type { Actor } from '../domain/actor.js';
import { incidentLabel } from '../domain/incident.js';
import { metricList, type Metric } from '../domain/metrics.js';
import { describeSeverity } from '../domain/severity.js';
import type { TimelineEvent } from '../domain/timeline.js';
import type { PostmortemFacts } from './facts.js';
import { mdCell, mdLink, mdMultiline, mdText } from './markdown.js';
import { formatDuration } from './time.js';
import { changeLine } from '../changes/format.js';

/**
 * What each `{{placeholder}}` of a postmortem template says, as Markdown. The default template uses
 * them all; a team's own template picks and arranges them. Prompts the authors must fill in are all
 * marked the same way (✏️ **To write:**) so nobody publishes a prompt by mistake.
 */
const PROMPT = '✏️ **To write:**';

type Section = { doc: string; render: (f: PostmortemFacts) => string };

const people = (f: PostmortemFacts, actors: Actor[]) => (actors.length ? actors.map((a) => mdText(f.label(a))).join(', ') : 'nobody recorded');
/** Inline code; a backtick inside would end it early. */
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const when = (f: PostmortemFacts, iso: string | undefined, missing = 'not yet') => (iso ? f.time.dateTime(iso) : missing);

function duration(f: PostmortemFacts): string {
  const { declaredAt, resolvedAt } = f.input.incident;
  if (resolvedAt) return `${formatDuration(Date.parse(resolvedAt) - Date.parse(declaredAt))} (declared → resolved)`;
  return `ongoing: ${formatDuration(Date.parse(f.input.generatedAt) - Date.parse(declaredAt))} so far (declared → this draft)`;
}

function severity(f: PostmortemFacts): string {
  const i = f.input.incident;
  const declared = f.events.find((e) => e.type === 'declared');
  const parts = [`${describeSeverity(i.highestSeverity, f.input.severityLabels)}, the highest reached`];
  if (declared?.type === 'declared' && declared.severity !== i.highestSeverity) parts.push(`declared as ${declared.severity}`);
  if (i.severity !== i.highestSeverity) parts.push(`ended as ${i.severity}`);
  return parts.join('; ');
}

function roles(f: PostmortemFacts): string {
  const r = f.input.incident.roles;
  return `lead ${r.lead ? mdText(f.label(r.lead)) : 'unassigned'} · comms ${r.comms ? mdText(f.label(r.comms)) : 'unassigned'} · scribe ${r.scribe ? mdText(f.label(r.scribe)) : 'unassigned'}`;
}

function owningTeam(f: PostmortemFacts): string {
  const hops = f.metrics.teamHandoffs;
  const owner = f.input.incident.suspectedOwner;
  if (hops.value === undefined) return owner ? mdText(owner.team) : 'not recorded';
  return `${mdText(hops.detail?.split(' → ').at(-1) ?? owner?.team ?? '')} (${hops.value} hand-off${hops.value === 1 ? '' : 's'}: ${mdText(hops.detail ?? '')})`;
}

function links(f: PostmortemFacts): string {
  const i = f.input.incident;
  const lines: string[] = [];
  const roomName = i.room?.name ? `#${i.room.name}` : i.room ? `incident room ${i.room.id}` : undefined;
  const roomUrl = i.room?.url ?? f.input.roomLink;
  if (roomName) lines.push(`- Channel: ${roomUrl ? mdLink(roomName, roomUrl) : mdText(roomName)}`);
  for (const alert of f.alerts) {
    const label = `${alert.title} (${alert.source}${alert.service ? `, ${alert.service}` : ''})`;
    lines.push(`- Alert: ${alert.url ? mdLink(label, alert.url) : mdText(label)}`);
  }
  for (const link of i.links) lines.push(`- ${mdLink(link.label || link.url, link.url)}`);
  const traceUrl = i.triage?.traceUrl ?? f.triage?.verdict?.link ?? undefined;
  const traceId = i.triage?.traceId ?? i.traceId;
  if (traceId) lines.push(`- Trace: ${traceUrl ? mdLink(traceId, traceUrl) : code(traceId)}`);
  return lines.length ? lines.join('\n') : '- No links recorded.';
}

function header(f: PostmortemFacts): string {
  const i = f.input.incident;
  const declared = f.events.find((e) => e.type === 'declared');
  const mitigated = f.metrics.timeToMitigate.sources.find((s) => s.event.type === 'status_changed')?.event.at;
  const firstAlert = f.alerts[0];
  const rows: Array<[string, string]> = [
    ['Incident', `${incidentLabel(i)}: ${mdCell(i.title)}`],
    ['Severity', severity(f)],
    ['Status', i.status],
    ['Declared', `${when(f, i.declaredAt)} by ${mdCell(f.label(i.declaredBy))} (${mdCell(i.source.detail ? `${i.source.kind}, ${i.source.detail}` : i.source.kind)})`],
    ...(firstAlert ? [['First alert', `${when(f, firstAlert.at)}: ${mdCell(firstAlert.title)}`] as [string, string]] : []),
    ['Mitigated', when(f, mitigated, 'not recorded (never moved to monitoring)')],
    ['Resolved', when(f, i.resolvedAt)],
    ['Closed', when(f, i.closedAt)],
    ['Duration', duration(f)],
    ['Time zone', `${f.time.timeZone} (${f.time.offset(declared?.at ?? i.declaredAt)})`],
    ['Roles', roles(f)],
    ['Participants', people(f, f.participants)],
    ['Affected services', i.affectedServices.length ? i.affectedServices.map(mdCell).join(', ') : 'none recorded'],
    ['Owning team', owningTeam(f)],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| **${k}** | ${v} |`)].join('\n');
  return `${table}\n\n**Links**\n\n${links(f)}`;
}

function summary(f: PostmortemFacts): string {
  const i = f.input.incident;
  const described = i.description ? `\n\nAt declaration: ${mdText(i.description)}` : '';
  if (i.resolveSummary) return `${mdMultiline(i.resolveSummary, '')}\n\n_From the resolve summary; expand it into what happened, what users saw and how it was fixed._${described}`;
  return `${PROMPT} no resolve summary was given. In two or three sentences: what happened, what users saw, and how it was fixed.${described}`;
}

function impact(f: PostmortemFacts): string {
  const ttd = f.metrics.timeToDetect;
  const detected = ttd.value !== undefined ? ` The first alert fired ${formatDuration(ttd.value)} before the incident was declared.` : '';
  const services = f.input.incident.affectedServices;
  return [
    `- **Who was affected?** ${PROMPT} which users, customers or internal teams; which regions or plans.`,
    `- **For how long?** The incident was ${duration(f)}.${detected} ${PROMPT} confirm when users were first and last affected.`,
    `- **How many?** ${PROMPT} failed requests, users or orders affected, error budget spent.`,
    `- **Affected services:** ${services.length ? services.map(mdText).join(', ') : `none recorded. ${PROMPT} which services degraded.`}`,
  ].join('\n');
}

function metricValue(m: Metric): string {
  if (m.value === undefined) return '**not measured**';
  return m.unit === 'count' ? String(m.value) : formatDuration(m.value);
}

function metricSources(f: PostmortemFacts, m: Metric): string {
  const from = m.sources.map((s) => `${mdCell(s.label)} at ${f.time.time(s.event.at)}${s.event.actor && s.event.actor.platform !== 'system' ? ` (${mdCell(f.label(s.event.actor))})` : ''}`);
  if (m.value === undefined) return `${mdCell(m.missing ?? 'an event is missing')}${from.length ? `; found: ${from.join(', ')}` : ''}`;
  if (m.id === 'team_handoffs') return `${mdCell(m.detail ?? '')}${from.length ? `: ${from.join(', ')}` : ''}`;
  return from.join(' → ');
}

function metrics(f: PostmortemFacts): string {
  const rows = metricList(f.metrics).map((m) => `| ${m.name} | ${metricValue(m)} | ${mdCell(m.definition)} | ${metricSources(f, m)} |`);
  return [
    '| Metric | Value | Measured as | Computed from |',
    '|---|---|---|---|',
    ...rows,
    '',
    '_Computed from the incident timeline. "Not measured" means an event is missing from the timeline; it is never a guess._',
  ].join('\n');
}

function origin(f: PostmortemFacts): string {
  const owner = f.input.incident.suspectedOwner;
  const ownerLine = owner ? `Owning team on record: **${mdText(owner.team)}** (via ${owner.via}).` : 'No owning team was recorded.';
  const t = f.triage;
  if (!t) return `No trace was triaged for this incident. ${ownerLine}\n\n${PROMPT} where did the failure start, and how do we know?`;
  if (t.event.outcome !== 'ok') {
    return `Triage of trace ${code(t.event.traceId)} did not conclude (${t.event.outcome}): ${mdText(t.event.summary)}. ${ownerLine}\n\n${PROMPT} where did the failure start, and how do we know?`;
  }
  const v = t.verdict;
  const lines = [`> **Hypothesis to confirm.** Triage read trace ${code(t.event.traceId)} and suggests: ${mdText(t.event.summary)}`];
  if (v?.confidence !== undefined) lines.push(`> Confidence ${v.confidence.toFixed(2)}${v.confidenceLevel ? ` (${mdText(v.confidenceLevel)})` : ''}. Confirm or correct it with the people who fixed it before publishing.`);
  else lines.push('> Confirm or correct it with the people who fixed it before publishing.');
  if (v?.path.length) {
    const hops = v.path.map((h) => `${mdText(h.service)}${h.operation ? ` ${code(h.operation)}` : ''}${h.status ? ` (${mdText(h.status)})` : ''}`);
    lines.push('', `**Path from the entry point:** ${hops.join(' → ')}`);
  }
  if (v?.origin) lines.push('', `**Suspected origin:** ${mdText(v.origin.service)}${v.origin.operation ? ` ${code(v.origin.operation)}` : ''}${v.origin.message ? `: ${mdText(v.origin.message)}` : ''}`);
  if (v?.reasons.length) lines.push('', '**Why triage thinks so:**', ...v.reasons.map((r) => `- ${mdText(r)}`));
  const alternatives = v?.alternatives.filter((a) => a.origin) ?? [];
  if (alternatives.length) lines.push('', `**Alternatives considered:** ${alternatives.map((a) => `${mdText(a.origin?.service ?? '')}${a.confidence !== undefined ? ` (${a.confidence.toFixed(2)})` : ''}`).join(', ')}`);
  lines.push('', ownerLine);
  return lines.join('\n');
}

function changesBefore(f: PostmortemFacts): string {
  const i = f.input.incident;
  const changes = i.changes ?? [];
  if (changes.length === 0) {
    const services = i.affectedServices.length ? ` to ${i.affectedServices.map(mdText).join(', ')}` : '';
    return `No change events${services} were recorded in the hour before the incident. ${PROMPT} was there a change sitrep does not hear about (a manual config edit, a vendor, a data migration)?`;
  }
  const lines = changes.map((c) => `- ${mdText(changeLine(c, { timeZone: f.time.timeZone, anchor: i.declaredAt }))}${c.url ? ` — ${mdLink('link', c.url)}` : ''}`);
  return [
    `${changes.length} change${changes.length === 1 ? '' : 's'} to the suspected origin, the failure path or the alerted services in the hour before the incident, closest first:`,
    '',
    ...lines,
    '',
    `${PROMPT} did any of these contribute? Was it rolled back, and how quickly?`,
  ].join('\n');
}

function statusUpdates(f: PostmortemFacts): string {
  const updates = f.events.filter((e) => e.type === 'status_update');
  const reminders = f.events.filter((e) => e.type === 'status_update_reminded').length;
  const i = f.input.incident;
  const end = Date.parse(i.resolvedAt ?? f.input.generatedAt);
  const times = [Date.parse(i.declaredAt), ...updates.map((e) => Date.parse(e.at)), end];
  const gaps = times.slice(1).map((t, n) => Math.max(0, t - times[n]!));
  const longest = Math.max(...gaps);
  const remindedText = reminders ? `; sitrep reminded ${reminders} time${reminders === 1 ? '' : 's'} that one was due` : '';
  if (updates.length === 0) return `No status update was posted with \`/incident update\` (${formatDuration(longest)} from declaration to ${i.resolvedAt ? 'resolution' : 'this draft'})${remindedText}.`;
  const average = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  return `${updates.length} status update${updates.length === 1 ? '' : 's'}; on average one every ${formatDuration(average)}, the longest silence ${formatDuration(longest)} (from declaration to ${i.resolvedAt ? 'resolution' : 'this draft'})${remindedText}.`;
}

function checklist(f: PostmortemFacts): string {
  const items = f.input.incident.checklist ?? [];
  if (items.length === 0) return 'This incident had no checklist.';
  const open = items.filter((i) => !i.doneAt);
  const lines = items.map((i) =>
    i.doneAt ? `- [x] ${mdText(i.text)} — ${i.doneBy ? mdText(f.label(i.doneBy)) : 'someone'} at ${f.time.dateTime(i.doneAt)}` : `- [ ] ${mdText(i.text)} — **not ticked**`,
  );
  const intro = open.length
    ? `${open.length} of ${items.length} checklist item${items.length === 1 ? ' was' : 's were'} not ticked. ${PROMPT} skipped on purpose, forgotten, or done without being recorded?`
    : `All ${items.length} checklist items were ticked.`;
  return [intro, '', ...lines].join('\n');
}

function describe(f: PostmortemFacts, e: TimelineEvent): string | undefined {
  switch (e.type) {
    case 'declared':
      return `Declared "${mdText(e.title)}" as ${e.severity} (${mdText(e.source)})`;
    case 'status_changed':
      return `Status ${e.from} → **${e.to}**${e.message ? `: ${mdMultiline(e.message)}` : ''}`;
    case 'severity_changed':
      return `Severity ${e.from} → **${e.to}**`;
    case 'role_assigned':
      return `${mdText(f.label(e.assignee))} became ${e.role}${e.previous ? ` (was ${mdText(f.label(e.previous))})` : ''}`;
    case 'note':
      return `Note: ${mdMultiline(e.text)}`;
    case 'message_captured':
      return capturedLine(f, e.id);
    case 'message_edited':
    case 'message_deleted':
      return undefined; // shown with the captured message they change
    case 'alert_fired':
      return `Alert fired: ${e.url ? mdLink(e.title, e.url) : mdText(e.title)} (${mdText(e.source)}${e.service ? `, ${mdText(e.service)}` : ''}${e.count > 1 ? `, ×${e.count}` : ''})`;
    case 'alert_resolved':
      return `Alert resolved: ${mdText(e.title)} (${mdText(e.source)})`;
    case 'triage_suggested':
      return `Triage of trace ${code(e.traceId)} (${e.outcome}): ${mdText(e.summary)}`;
    case 'owner_changed':
      return `Owning team ${e.fromTeam ? `${mdText(e.fromTeam)} → ` : ''}**${mdText(e.toTeam)}**${e.reason ? `: ${mdText(e.reason)}` : ''}`;
    case 'paged': {
      const who = e.target.users.map((u) => f.label(u)).join(', ');
      return `Paged ${e.target.team ? mdText(e.target.team) : 'a person'} (level ${e.level + 1}, via ${mdText(e.provider)})${who ? `: ${mdText(who)}` : ''}`;
    }
    case 'page_skipped':
      return `Page to ${e.target.team ? mdText(e.target.team) : 'a person'} (level ${e.level + 1}) not sent: ${mdText(e.reason)}`;
    case 'acknowledged':
      return `Page acknowledged${e.team ? ` for ${mdText(e.team)}` : ''}`;
    case 'declined':
      return 'Page declined';
    case 'escalated':
      return e.exhausted
        ? `Escalation exhausted after level ${e.fromLevel + 1}: nobody answered`
        : `Escalated from level ${e.fromLevel + 1}${e.toLevel !== undefined ? ` to level ${e.toLevel + 1}` : ''} (${e.reason})`;
    case 'action_item_added':
      return `Action item: ${mdMultiline(e.text)}${e.owner ? ` (owner ${mdText(f.label(e.owner))})` : ''}`;
    case 'status_update':
      return `Status update: "${mdMultiline(e.text)}"`;
    case 'status_update_reminded':
      return `Reminded ${e.remindedUser ? mdText(f.label(e.remindedUser)) : 'the room'}: no status update since the last one was due`;
    case 'checklist_ticked':
      return `Checklist: ticked "${mdText(e.text)}"`;
    case 'resolved':
      return `**Resolved**${e.summary ? `: ${mdMultiline(e.summary)}` : ''}`;
    case 'closed':
      return '**Closed**';
    case 'room_opened':
      return `Room ${e.name ? `${mdText(e.name)} ` : ''}opened in ${e.platform === 'slack' ? 'Slack' : 'Teams'}${e.tries > 1 ? ` after ${e.tries} tries` : ''}`;
    case 'reopened':
      return `**Reopened**${e.reason ? `: ${mdText(e.reason)}` : ''}`;
    case 'postmortem_exported':
      return e.error ? `Postmortem export to ${mdText(e.format)} failed: ${mdText(e.error)}` : `Postmortem exported (${mdText(e.format)})${e.url ? `: ${mdLink(e.url, e.url)}` : ''}`;
  }
}

function capturedLine(f: PostmortemFacts, id: string): string | undefined {
  const view = f.captured.get(id);
  if (!view) return undefined;
  const { event } = view;
  const link = event.permalink ? ` — ${mdLink('message', event.permalink)}` : '';
  const lines = [`Message from ${mdText(f.label(event.author))} (captured via ${event.via}): ${view.deleted ? '_(deleted)_ ' : ''}"${mdMultiline(view.text)}"${link}`];
  if (event.files.length) lines.push(`  Files: ${event.files.map((file) => (file.url ? mdLink(file.name, file.url) : mdText(file.name))).join(', ')}`);
  for (const h of view.history) {
    const what = h.kind === 'edited' ? 'Edited' : 'Deleted';
    const earlier = h.kind === 'edited' ? 'earlier text' : 'text when deleted';
    lines.push(`  ${what} at ${f.time.time(h.at)} by ${mdText(f.label(h.actor))}; ${earlier}: "${mdMultiline(h.previousText, '    ')}"`);
  }
  return lines.join('\n');
}

function timeline(f: PostmortemFacts): string {
  // Appended as it goes: a long timeline is a megabyte, and joining its lines (each flattened first)
  // and trimming the result made copies of it that appending never makes.
  let out = '';
  let day = '';
  let last = '';
  // "Status → resolved" and "Resolved: summary" are one moment; the dedicated event says more.
  const finals = new Set(f.events.filter((e) => e.type === 'resolved' || e.type === 'closed').map((e) => `${e.type}@${e.at}`));
  for (const e of f.events) {
    if (e.type === 'status_changed' && finals.has(`${e.to}@${e.at}`)) continue;
    const text = describe(f, e);
    if (text === undefined) continue;
    out += last;
    const d = f.time.day(e.at);
    if (d !== day) {
      day = d;
      out += `${out ? '\n\n' : ''}### ${d}\n`;
    }
    last = `\n- **${f.time.time(e.at)}** · ${mdText(f.label(e.actor))} · ${text}`;
  }
  // The last line loses its trailing spaces, as a trimmed document would.
  return out || last ? out + last.trimEnd() : 'The timeline is empty.';
}

function actionItems(f: PostmortemFacts): string {
  const items = f.actionItems.map(
    (a) => `- [ ] ${mdMultiline(a.text, '      ')} — owner: ${a.owner ? mdText(f.label(a.owner)) : 'unassigned'} · status: open · added by ${mdText(f.label(a.actor))} at ${f.time.dateTime(a.at)}`,
  );
  const intro = items.length ? '' : 'No action items were recorded with `/incident action` during the incident.\n\n';
  return `${intro}${[...items, `- [ ] ${PROMPT} what would make this less likely, quicker to detect, or smaller next time? (owner, due date)`, `- [ ] ${PROMPT} …`].join('\n')}`;
}

function languageCheck(f: PostmortemFacts): string {
  if (f.findings.length === 0) return 'No blaming phrases found in the notes, the resolve summary or the action items.';
  const items = f.findings.map((x) => `- **"${mdText(x.phrase)}"** in the ${mdText(x.source)}: "${mdMultiline(x.excerpt, '  ')}"\n  Suggestion: ${mdText(x.suggestion)}`);
  return [
    `${f.findings.length} phrase${f.findings.length === 1 ? '' : 's'} point${f.findings.length === 1 ? 's' : ''} at people rather than at the system. Reword before publishing: people appear here as roles and actors, never as causes.`,
    '',
    ...items,
  ].join('\n');
}

function contributingFactors(f: PostmortemFacts): string {
  const hints: string[] = [];
  if (f.triage?.event.outcome === 'ok') hints.push(`the triage hypothesis: ${mdText(f.triage.event.summary)}`);
  if ((f.metrics.teamHandoffs.value ?? 0) > 0) hints.push(`the hand-offs ${mdText(f.metrics.teamHandoffs.detail ?? '')}: why was the first suspected team not the owner?`);
  if (f.alerts.length === 0) hints.push('no alert fired: what would have detected this automatically?');
  const start = hints.length ? `\n\nStarting points from the timeline:\n${hints.map((h) => `- ${h}`).join('\n')}` : '';
  return `${PROMPT} the conditions that together made this possible — a change, a missing safeguard, load, a dependency, a gap in monitoring or runbooks. Name systems and processes, not people.${start}`;
}

function fiveWhys(f: PostmortemFacts): string {
  return [
    `1. Why did "${mdText(f.input.incident.title)}" happen? ${PROMPT} because …`,
    `2. Why did that happen? ${PROMPT} because …`,
    `3. Why? ${PROMPT} because …`,
    `4. Why? ${PROMPT} because …`,
    `5. Why? ${PROMPT} because … (stop at a cause in the system or process that an action item can change)`,
  ].join('\n');
}

function generated(f: PostmortemFacts): string {
  return `_Drafted by sitrep from ${f.input.timeline.length} timeline events on ${f.time.dateTime(f.input.generatedAt)} (${f.time.timeZone}). Run \`/incident postmortem\` to redraft from the latest timeline._`;
}

export const SECTIONS = {
  label: { doc: 'the incident label, e.g. INC-42', render: (f) => incidentLabel(f.input.incident) },
  number: { doc: 'the incident number', render: (f) => String(f.input.incident.number) },
  title: { doc: 'the incident title', render: (f) => mdText(f.input.incident.title) },
  severity: { doc: 'the highest severity reached, with its label', render: severity },
  status: { doc: 'the current status', render: (f) => f.input.incident.status },
  time_zone: { doc: 'the organisation time zone (TIME_ZONE)', render: (f) => f.time.timeZone },
  declared_at: { doc: 'when it was declared', render: (f) => when(f, f.input.incident.declaredAt) },
  resolved_at: { doc: 'when it was resolved', render: (f) => when(f, f.input.incident.resolvedAt) },
  closed_at: { doc: 'when it was closed', render: (f) => when(f, f.input.incident.closedAt) },
  duration: { doc: 'declared → resolved', render: duration },
  lead: { doc: 'the incident lead', render: (f) => (f.input.incident.roles.lead ? mdText(f.label(f.input.incident.roles.lead)) : 'unassigned') },
  roles: { doc: 'lead, comms and scribe', render: roles },
  participants: { doc: 'everyone who took part', render: (f) => people(f, f.participants) },
  services: { doc: 'affected services', render: (f) => (f.input.incident.affectedServices.length ? f.input.incident.affectedServices.map(mdText).join(', ') : 'none recorded') },
  links: { doc: 'channel, alerts, dashboards and trace, as a list', render: links },
  header: { doc: 'the header table (all of the above) and the links', render: header },
  summary: { doc: 'the resolve summary, or a prompt', render: summary },
  impact: { doc: 'impact prompts', render: impact },
  metrics: { doc: 'response metrics table', render: metrics },
  origin: { doc: 'triage hypothesis: suspected origin and path', render: origin },
  changes: { doc: 'deploys, config pushes, flags and rollouts in the hour before the incident', render: changesBefore },
  timeline: { doc: 'the full timeline', render: timeline },
  contributing_factors: { doc: 'contributing factors prompt', render: contributingFactors },
  went_well: { doc: 'what went well (prompt)', render: () => `${PROMPT} what helped — an alert that fired early, a runbook that worked, someone who knew where to look.` },
  went_poorly: {
    doc: 'what went poorly (prompt)',
    render: (f) => {
      const missing = metricList(f.metrics).filter((m) => m.value === undefined).map((m) => m.name.toLowerCase());
      const hint = missing.length ? ` Not measured from the timeline: ${missing.join(', ')} — was that step missing or just not recorded?` : '';
      return `${PROMPT} what slowed the response or made it harder — missing access, unclear ownership, noisy alerts, hand-offs.${hint}`;
    },
  },
  got_lucky: { doc: 'where we got lucky (prompt)', render: () => `${PROMPT} what limited the damage by chance rather than by design — and how do we make that deliberate?` },
  five_whys: { doc: '5 Whys scaffold', render: fiveWhys },
  action_items: { doc: 'action items captured with /incident action, with room for more', render: actionItems },
  status_updates: { doc: 'how regular the status updates were: count, average gap, longest silence, reminders', render: statusUpdates },
  checklist: { doc: 'the incident checklist: who ticked what and when, and what was left unticked', render: checklist },
  language_check: { doc: 'blaming phrases found, with rewording suggestions', render: languageCheck },
  generated: { doc: 'when and from what the draft was made', render: generated },
} satisfies Record<string, Section>;

export type Placeholder = keyof typeof SECTIONS;
export const PLACEHOLDERS = Object.keys(SECTIONS) as Placeholder[];
