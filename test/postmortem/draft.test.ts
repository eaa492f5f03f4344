import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_LABELS } from '../../src/domain/severity.js';
import { draftPostmortem } from '../../src/postmortem/render.js';
import { alice, bob, carol, nightIncident, system, timelineOf } from './helpers.js';
import { makeIncident } from '../helpers/incidents.js';

const draft = (parts = nightIncident(), timeZone = 'Europe/Berlin') =>
  draftPostmortem({ ...parts, severityLabels: DEFAULT_SEVERITY_LABELS, timeZone, generatedAt: '2026-11-24T03:50:00.000Z', roomLink: 'https://acme.slack.com/archives/C_INC42/p1795921200000100' });

/** The text of one `## Section` of the draft. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}\n`);
  expect(start, `section "${heading}"`).toBeGreaterThan(0);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}

describe('the postmortem draft', () => {
  it('has every section of a blameless postmortem, in the organisation time zone', () => {
    const { markdown } = draft();
    expect(markdown.startsWith('# INC-42: Checkout returns 500 — postmortem (draft)\n')).toBe(true);
    for (const heading of ['Summary', 'Impact', 'Response metrics', 'Suspected origin', 'Contributing factors', 'What went well', 'What went poorly', 'Where we got lucky', '5 Whys', 'Action items', 'Blameless language check', 'Timeline']) {
      section(markdown, heading);
    }
    // 03:00 UTC is 04:00 in Berlin in November.
    expect(markdown).toContain('| **Declared** | Tue 24 Nov 2026, 04:00:00 by alice (command, slack) |');
    expect(markdown).toContain('| **Time zone** | Europe/Berlin (GMT+1) |');
    expect(markdown).toContain('| **Severity** | SEV1 (Critical), the highest reached; declared as SEV2; ended as SEV2 |');
    expect(markdown).toContain('| **Duration** | 40 min (declared → resolved) |');
    expect(markdown).toContain('| **Roles** | lead alice · comms carol · scribe bob |');
    expect(markdown).toContain('| **Participants** | alice, bob, carol |');
    expect(markdown).toContain('| **Affected services** | checkout, payments |');
    expect(markdown).toContain('- Channel: [#inc-42-checkout-returns-500](https://acme.slack.com/archives/C_INC42/p1795921200000100)');
    expect(markdown).toContain('- Alert: [CheckoutErrorRate (alertmanager, checkout)](https://am.example/#/alerts?fp=fp1)');
    expect(markdown).toContain('- [Checkout dashboard](https://grafana.example/d/checkout)');
  });

  it('shows each response metric with the events it was computed from', () => {
    const metrics = section(draft().markdown, 'Response metrics');
    expect(metrics).toContain('| Time to detect | 5 min | first alert → declared | first alert "CheckoutErrorRate" at 03:55:00 (alertmanager) → declared at 04:00:00 (alice) |');
    expect(metrics).toContain('| Time to acknowledge | 3 min |');
    expect(metrics).toContain('| Time to mitigate | 20 min |');
    expect(metrics).toContain('| Time to resolve | 40 min |');
    expect(metrics).toContain('| Team hand-offs | 2 | hops from the first suspected team to the team that owned the fix | team-a → team-b → team-c:');
    expect(metrics).toContain('| Time to the right team | 10 min | declared → the team it ended with was first assigned | declared at 04:00:00 (alice) → team-c first assigned at 04:10:00 (bob) |');
  });

  it('shows a missing event as "not measured" with the reason, and says so in the summary of the draft', () => {
    const incident = makeIncident(7, { status: 'investigating', roles: { lead: alice } });
    const timeline = timelineOf(incident.id, [
      ['03:00', { type: 'declared', actor: alice, key: 'd', title: incident.title, severity: 'SEV2', source: 'slack' }],
      ['03:10', { type: 'status_changed', actor: alice, key: 's', from: 'declared', to: 'investigating' }],
    ]);
    const result = draft({ incident, timeline }, 'UTC');
    const metrics = section(result.markdown, 'Response metrics');
    expect(metrics).toContain('| Time to detect | **not measured** | first alert → declared | no alert fired for this incident: it was detected by a person; found: declared at 03:00:00 (alice) |');
    expect(metrics).toContain('| Time to acknowledge | **not measured** | first page → first acknowledgement | nobody was paged |');
    expect(metrics).toContain('| Time to resolve | **not measured** | declared → resolved | the incident has not been resolved; found: declared at 03:00:00 (alice) |');
    expect(metrics).not.toMatch(/\| \d+ (?:s|min|h)\b/);
    expect(result.notMeasured).toEqual(['Time to detect', 'Time to acknowledge', 'Time to mitigate', 'Time to resolve', 'Team hand-offs', 'Time to the right team']);
    expect(result.markdown).toContain('| **Duration** | ongoing: 50 min so far (declared → this draft) |');
    expect(section(result.markdown, 'Summary')).toContain('✏️ **To write:** no resolve summary was given.');
  });

  it('takes the summary from the resolve summary', () => {
    expect(section(draft().markdown, 'Summary')).toContain('\npayments pool resized, checkout recovered\n');
  });

  it('lists the full timeline with time, actor and event; a captured message shows its current text and its history', () => {
    const parts = nightIncident();
    const ref = { platform: 'slack' as const, channel: 'C_INC42', ts: '1795921380.000200' };
    parts.timeline.push(...timelineOf(parts.incident.id, [['03:30', { type: 'message_deleted', actor: carol, key: 'del', message: ref, previousText: 'payments pool at 100%' }]]));
    const timeline = section(draft(parts).markdown, 'Timeline');
    expect(timeline).toContain('### Tuesday 24 November 2026');
    expect(timeline).toContain('- **04:00:00** · alice · Declared "Checkout returns 500" as SEV2 (slack)');
    expect(timeline).toContain('- **04:03:00** · bob · Message from carol (captured via reaction): _(deleted)_ "payments pool at 100%" — [message](https://slack.example/archives/C_INC42/p1)');
    expect(timeline).toContain('  Edited at 04:05:00 by carol; earlier text: "pool at 100%"');
    expect(timeline).toContain('  Deleted at 04:30:00 by carol; text when deleted: "payments pool at 100%"');
    expect(timeline).toContain('- **04:10:00** · bob · Owning team team-b → **team-c**: payments owns the pool');
    expect(timeline).toContain('- **04:40:00** · alice · **Resolved**: payments pool resized, checkout recovered');
    // Edits and deletions are part of the message entry, not entries of their own.
    expect(timeline).not.toMatch(/· (?:Message edited|message_edited)/);
    // All but the edit, the deletion and the two status changes that "Resolved" and "Closed" already say.
    expect(timeline.match(/^- \*\*/gm)).toHaveLength(parts.timeline.length - 4);
  });

  it('labels triage\'s verdict a hypothesis to confirm, with its path', () => {
    const parts = nightIncident();
    const verdict = {
      status: 'found',
      origin: { kind: 'error', service: 'payments-db', operation: 'SELECT orders', message: 'too many connections' },
      path: [
        { service: 'frontend', operation: 'GET /checkout', status: '500', spanId: 'a' },
        { service: 'checkout', operation: 'POST /pay', status: '500', spanId: 'b' },
        { service: 'payments-db', operation: 'SELECT orders', status: 'error', spanId: 'c' },
      ],
      confidence: 0.82,
      confidenceLevel: 'high',
      reasons: ['deepest failing span', 'callers fail after it'],
      alternatives: [{ origin: { service: 'checkout' }, confidence: 0.3, owner: null, path: [], reasons: [] }],
    };
    parts.timeline.push(
      ...timelineOf(parts.incident.id, [
        ['03:05', { type: 'triage_suggested', actor: system, key: 't', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', outcome: 'ok', summary: 'the failure starts in payments-db (owned by team-c)', team: 'team-c', verdict }],
      ]),
    );
    const origin = section(draft(parts).markdown, 'Suspected origin');
    expect(origin).toContain('> **Hypothesis to confirm.** Triage read trace `4bf92f3577b34da6a3ce929d0e0e4736` and suggests: the failure starts in payments-db (owned by team-c)');
    expect(origin).toContain('> Confidence 0.82 (high). Confirm or correct it');
    expect(origin).toContain('**Path from the entry point:** frontend `GET /checkout` (500) → checkout `POST /pay` (500) → payments-db `SELECT orders` (error)');
    expect(origin).toContain('- deepest failing span');
    expect(origin).toContain('**Alternatives considered:** checkout (0.30)');
  });

  it('flags blaming phrases in notes, the resolve summary and action items, with a rewording for each', () => {
    const parts = nightIncident({ resolveSummary: 'human error during the pool change' });
    parts.timeline.push(...timelineOf(parts.incident.id, [['03:26', { type: 'action_item_added', actor: bob, key: 'ai2', actionId: 'b', text: 'make sure carol is less careless with configs' }]]));
    const result = draft(parts);
    const check = section(result.markdown, 'Blameless language check');
    expect(result.blamingPhrases).toBe(4);
    expect(check).toContain('4 phrases point at people rather than at the system.');
    expect(check).toContain('- **"dave\'s fault"** in the note by bob at 04:08:00: "It was dave\'s fault, he broke the pool config"\n  Suggestion: Describe what allowed it');
    expect(check).toContain('- **"he broke"** in the note by bob at 04:08:00');
    expect(check).toContain('- **"careless"** in the action item by bob at 04:26:00');
    expect(check).toContain('- **"human error"** in the resolve summary:');
    expect(check.match(/Suggestion: /g)).toHaveLength(4);
  });

  it('lists action items with owner and status, and leaves room for more', () => {
    const items = section(draft().markdown, 'Action items');
    expect(items).toContain('- [ ] alert on pool saturation — owner: carol · status: open · added by alice at Tue 24 Nov 2026, 04:25:00');
    expect(items).toContain('- [ ] ✏️ **To write:** what would make this less likely');
  });

  it('keeps people\'s Markdown from breaking the document', () => {
    const parts = nightIncident({ title: 'API | gateway *down*' });
    parts.timeline.push(...timelineOf(parts.incident.id, [['03:09', { type: 'note', actor: alice, key: 'n2', text: '# not a heading | with a pipe\n- and a line' }]]));
    const { markdown } = draft(parts);
    expect(markdown).toContain('| **Incident** | INC-42: API \\| gateway \\*down\\* |');
    expect(markdown).toContain('· alice · Note: # not a heading \\| with a pipe\n  \\- and a line');
  });
});
