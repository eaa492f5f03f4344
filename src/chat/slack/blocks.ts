import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
type View = types.View;
// The subpath: the package index loads all ~300 date-fns modules at start-up.
import { format } from 'date-fns/format';
import { tz } from '@date-fns/tz';
import type { Actor } from '../../domain/actor.js';
import { checklistProgress } from '../../domain/checklist.js';
import { incidentLabel, type Incident, type PageState } from '../../domain/incident.js';
import { SEVERITIES, type SeverityLabels } from '../../domain/severity.js';
import { allowedTransitions, isOpen, STATUSES } from '../../domain/status.js';
import type { IncidentView, PageView } from '../../incidents/chat-port.js';
import { mentionsIn, type Mention } from '../../domain/mention.js';
import { slackSafe } from './markup.js';
import { changeLines } from '../../changes/format.js';

/** Action and view ids: the contract between the blocks we post and the listeners in app.ts. */
export const ACTIONS = {
  severity: 'sitrep_severity',
  status: 'sitrep_status',
  lead: 'sitrep_lead',
  resolve: 'sitrep_resolve',
  close: 'sitrep_close',
  reopen: 'sitrep_reopen',
  pageTeam: 'sitrep_page_team',
  notThisTeam: 'sitrep_not_this_team',
  acknowledge: 'sitrep_ack',
  decline: 'sitrep_decline',
  resolveFromAlert: 'sitrep_alert_resolve',
  /** One button per checklist item: `sitrep_check:<item id>` (action ids must be unique in a block). */
  checklist: /^sitrep_check:/,
  statusUpdate: 'sitrep_status_update',
} as const;

export const VIEWS = { declare: 'sitrep_declare', handoff: 'sitrep_handoff', capturePick: 'sitrep_capture_pick', statusUpdate: 'sitrep_status_update' } as const;
export const SHORTCUTS = { capture: 'sitrep_capture', declareFromMessage: 'sitrep_declare_from_message' } as const;

const text = (t: string) => ({ type: 'plain_text' as const, text: t.slice(0, 150), emoji: true });
// Every mrkdwn text is escaped here, once: titles, notes and summaries are plain text inside sitrep.
/** A link's text may not hold `|`, `<` or `>` (they end Slack's `<url|text>`). */
const linkText = (t: string) => t.replace(/[|<>]/g, ' ');
const mrkdwn = (t: string, mentions?: readonly Mention[]) => ({ type: 'mrkdwn' as const, text: slackSafe(t, mentions).slice(0, 3000) });

export function mention(actor: Actor | undefined): string {
  if (!actor) return '_unassigned_';
  return actor.platform === 'slack' ? `<@${actor.id}>` : (actor.name ?? actor.id);
}

const SEVERITY_EMOJI = { SEV1: ':red_circle:', SEV2: ':large_orange_circle:', SEV3: ':large_yellow_circle:', SEV4: ':white_circle:' } as const;

function when(iso: string, timeZone: string): string {
  return format(new Date(iso), 'd MMM HH:mm zzz', { in: tz(timeZone) });
}

function severityOptions(labels: SeverityLabels) {
  return SEVERITIES.map((s) => ({ text: text(`${s} · ${labels[s]}`), value: s }));
}

function pageLine(page: PageState, timeZone: string): string {
  const who = page.targets.map(mention).join(', ') || '_nobody on call_';
  const scope = `${page.team ?? 'direct'}, level ${page.level + 1}`;
  switch (page.status) {
    case 'pending':
      return `:pager: paged ${who} (${scope})${page.nextEscalationAt ? ` — escalates at ${when(page.nextEscalationAt, timeZone)} if nobody acknowledges` : ''}`;
    case 'acknowledged':
      return `:white_check_mark: acknowledged by ${mention(page.acknowledgedBy)} (${scope})`;
    case 'exhausted':
      return `:warning: nobody answered the page for ${page.team ?? 'this incident'} (all levels tried)`;
    case 'cancelled':
      return `:no_bell: page for ${page.team ?? who} cancelled`;
  }
}

/** The pinned summary card: everything a newcomer to the channel needs at a glance, plus the controls. */
export function incidentCard(view: IncidentView): KnownBlock[] {
  const { incident: i, labels, timeZone } = view;
  const blocks: KnownBlock[] = [
    ...titleBlocks(i),
    {
      type: 'section',
      fields: [
        mrkdwn(`*Severity*\n${i.severity} · ${labels[i.severity]}`),
        mrkdwn(`*Status*\n${i.status}`),
        mrkdwn(`*Lead*\n${mention(i.roles.lead)}`),
        mrkdwn(`*Declared*\n${when(i.declaredAt, timeZone)}`),
        ...(i.roles.comms ? [mrkdwn(`*Comms*\n${mention(i.roles.comms)}`)] : []),
        ...(i.roles.scribe ? [mrkdwn(`*Scribe*\n${mention(i.roles.scribe)}`)] : []),
        ...(i.suspectedOwner ? [mrkdwn(`*Suspected owner*\n${i.suspectedOwner.team} (${i.suspectedOwner.via})`)] : []),
        ...(i.affectedServices.length ? [mrkdwn(`*Services*\n${i.affectedServices.join(', ')}`)] : []),
      ].slice(0, 10),
    },
  ];
  if (i.description) blocks.push({ type: 'section', text: mrkdwn(i.description, i.mentions) });
  blocks.push(...triageBlocks(i));
  if (i.changes?.length) blocks.push({ type: 'section', text: mrkdwn(changesText(i, timeZone)) });
  blocks.push(...checklistBlocks(i, timeZone));
  if (i.pages.length) blocks.push({ type: 'section', text: mrkdwn(i.pages.map((p) => pageLine(p, timeZone)).join('\n')) });
  if (i.links.length) blocks.push({ type: 'context', elements: [mrkdwn(i.links.map((l) => `<${l.url}|${l.label}>`).join(' · '))] });
  if (i.runbooks?.length) blocks.push({ type: 'context', elements: [mrkdwn(`*Runbooks:* ${i.runbooks.map((r) => `<${r.url}|${linkText(`${r.service}: ${r.label}`)}>`).join(' · ')}`)] });
  if (i.resolveSummary) blocks.push({ type: 'section', text: mrkdwn(`*Resolution*\n${i.resolveSummary}`) });
  blocks.push(controls(i, labels));
  return blocks;
}

/**
 * The card's heading. A header block is plain text, where mentions cannot be live: a title that mentions
 * someone is shown in a section below a header of the number alone, with the mentions live.
 */
function titleBlocks(i: Incident): KnownBlock[] {
  const heading = `${SEVERITY_EMOJI[i.severity]} ${incidentLabel(i)}`;
  const live = mentionsIn(i.title, i.mentions);
  if (!live.length) return [{ type: 'header', text: text(`${heading} · ${i.title}`) }];
  return [{ type: 'header', text: text(heading) }, { type: 'section', text: mrkdwn(`*${i.title}*`, live) }];
}

const MAX_CARD_CHANGES = 5;

function changesText(i: Incident, timeZone: string): string {
  const { lines, more } = changeLines(i.changes ?? [], { timeZone, anchor: i.declaredAt, link: (label, url) => `<${url}|${label}>`, max: MAX_CARD_CHANGES });
  const tail = more ? `\n_and ${more} more: \`/incident changes\`_` : '';
  return `:twisted_rightwards_arrows: *Changes in the hour before* (closest first)\n${lines.map((l) => `• ${l}`).join('\n')}${tail}`;
}

function checklistBlocks(i: Incident, timeZone: string): KnownBlock[] {
  const items = i.checklist ?? [];
  if (items.length === 0) return [];
  const { done, total } = checklistProgress(items);
  const lines = items.map((item) =>
    item.doneAt ? `:white_check_mark: ~${item.text}~ — ${mention(item.doneBy)}, ${format(new Date(item.doneAt), 'HH:mm', { in: tz(timeZone) })}` : `:white_square: ${item.text}`,
  );
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(`*Checklist* ${done}/${total}\n${lines.join('\n')}`) }];
  const open = items.filter((item) => !item.doneAt);
  if (open.length && i.status !== 'closed') {
    blocks.push({
      type: 'actions',
      block_id: `sitrep_checklist:${i.id}`,
      elements: open.map((item) => ({ type: 'button' as const, action_id: `sitrep_check:${item.id}`, text: text(`✓ ${item.text}`.slice(0, 75)), value: `${i.id}|${item.id}` })),
    });
  }
  return blocks;
}

function triageBlocks(i: Incident): KnownBlock[] {
  const t = i.triage;
  if (!t) return [];
  const link = t.traceUrl ? ` <${t.traceUrl}|open trace>` : '';
  const icon = t.outcome === 'ok' ? ':mag:' : t.outcome === 'pending' ? ':hourglass_flowing_sand:' : ':grey_question:';
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(`${icon} *Suspected origin* (a hypothesis to confirm)\n${t.summary}${link}`) }];
  if (t.alternatives.length > 1) {
    const ranked = t.alternatives.map((a, n) => `${n + 1}. ${a.service}${a.team ? ` (${a.team})` : ''} — ${Math.round(a.confidence * 100)}%`).join('\n');
    blocks.push({ type: 'context', elements: [mrkdwn(`Other plausible origins:\n${ranked}`)] });
  }
  if (t.outcome === 'ok' && t.team && isOpen(i.status)) {
    blocks.push({
      type: 'actions',
      block_id: `sitrep_triage:${i.id}`,
      elements: [
        { type: 'button', action_id: ACTIONS.pageTeam, text: text(`Page ${t.team}`), value: `${i.id}|${t.team}`, style: 'primary' },
        { type: 'button', action_id: ACTIONS.notThisTeam, text: text('Not this team'), value: i.id },
      ],
    });
  }
  return blocks;
}

function controls(i: Incident, labels: SeverityLabels): KnownBlock {
  const block_id = `sitrep_controls:${i.id}`;
  if (i.status === 'closed') return { type: 'context', elements: [mrkdwn('This incident is closed. The postmortem draft is in this channel.')] };
  if (i.status === 'resolved') {
    return {
      type: 'actions',
      block_id,
      elements: [
        { type: 'button', action_id: ACTIONS.close, text: text('Close & draft postmortem'), value: i.id, style: 'primary' },
        { type: 'button', action_id: ACTIONS.reopen, text: text('Reopen'), value: i.id },
      ],
    };
  }
  const statuses = allowedTransitions(i.status).filter((s) => s !== 'resolved' && s !== 'closed');
  return {
    type: 'actions',
    block_id,
    elements: [
      { type: 'static_select', action_id: ACTIONS.severity, placeholder: text('Severity'), options: severityOptions(labels) },
      ...(statuses.length
        ? [{ type: 'static_select' as const, action_id: ACTIONS.status, placeholder: text('Status'), options: statuses.map((s) => ({ text: text(s), value: s })) }]
        : []),
      { type: 'users_select', action_id: ACTIONS.lead, placeholder: text('Assign lead') },
      { type: 'button', action_id: ACTIONS.statusUpdate, text: text('Post update'), value: i.id },
      {
        type: 'button',
        action_id: ACTIONS.resolve,
        text: text('Resolve'),
        value: i.id,
        style: 'danger',
        confirm: { title: text('Resolve incident?'), text: mrkdwn(`Mark ${incidentLabel(i)} resolved? Pending pages stop.`), confirm: text('Resolve'), deny: text('Cancel') },
      },
    ],
  };
}

/** The alerts behind an incident have resolved: offer to resolve it (handled as ACTIONS.resolveFromAlert). */
export function resolveOfferBlocks(i: Incident, message: string): KnownBlock[] {
  return [
    { type: 'section', text: mrkdwn(message) },
    {
      type: 'actions',
      block_id: `sitrep_alert_resolve:${i.id}`,
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.resolveFromAlert,
          text: text('Resolve incident'),
          value: i.id,
          style: 'primary',
          confirm: { title: text('Resolve incident?'), text: mrkdwn(`Mark ${incidentLabel(i)} resolved? Pending pages stop.`), confirm: text('Resolve'), deny: text('Cancel') },
        },
      ],
    },
  ];
}

export function cardFallback(i: Incident): string {
  return `${incidentLabel(i)} ${i.severity} ${i.status}: ${i.title}`;
}

/** The page a person receives by DM. Once answered, the buttons give way to what happened. */
export function pageBlocks(page: PageView): KnownBlock[] {
  const i = page.incident;
  const where = i.room?.platform === 'slack' ? ` in <#${i.room.id}>` : '';
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `:rotating_light: *You are paged for ${incidentLabel(i)}* (${i.severity})${where}\n*${i.title}*\n${page.team ? `On call for *${page.team}*, level ${page.level + 1}.` : 'Paged directly.'}${page.message ? `\n> ${page.message}` : ''}${i.triage?.outcome === 'ok' ? `\n${i.triage.summary}` : ''}`,
        i.mentions,
      ),
    },
  ];
  if (!page.outcome) {
    const value = `${i.id}|${page.pageId}`;
    blocks.push({
      type: 'actions',
      block_id: `sitrep_page:${page.pageId}`,
      elements: [
        { type: 'button', action_id: ACTIONS.acknowledge, text: text('Acknowledge'), value, style: 'primary' },
        { type: 'button', action_id: ACTIONS.decline, text: text("Can't take it"), value },
      ],
    });
  } else {
    const by = page.outcome.by ? ` by ${mention(page.outcome.by)}` : '';
    const what = { acknowledged: ':white_check_mark: Acknowledged', declined: ':arrow_right: Passed on', escalated: ':arrow_up: Escalated to the next level', cancelled: ':no_bell: No longer needed' }[page.outcome.kind];
    blocks.push({ type: 'context', elements: [mrkdwn(`${what}${by}.`)] });
  }
  return blocks;
}

/** `/incident` with no title: the declare form. `origin` is where to answer when it is submitted. */
export function declareModal(
  origin: { channelId: string; responseUrl?: string },
  labels: SeverityLabels,
  defaultSeverity: string,
  from?: { ts: string; user?: string; text: string },
): View {
  const options = severityOptions(labels);
  // "Declare incident from this message": the message becomes the description, and is captured once declared.
  const description = from?.text.slice(0, 3000);
  return {
    type: 'modal',
    callback_id: VIEWS.declare,
    // A message to declare from rides along (Slack allows 3,000 characters here) so it can be captured
    // without reading a channel the bot may not be in.
    private_metadata: JSON.stringify({ ...origin, ...(from ? { message: { ts: from.ts, user: from.user, text: from.text.slice(0, 2000) } } : {}) }),
    title: text('Declare an incident'),
    submit: text('Declare'),
    close: text('Cancel'),
    blocks: [
      { type: 'input', block_id: 'title', label: text('Title'), element: { type: 'plain_text_input', action_id: 'value', max_length: 200, placeholder: text('Checkout returns 500 for EU users') } },
      { type: 'input', block_id: 'severity', label: text('Severity'), element: { type: 'static_select', action_id: 'value', options, initial_option: options.find((o) => o.value === defaultSeverity) } },
      {
        type: 'input',
        block_id: 'description',
        optional: true,
        label: text('What is happening?'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, ...(description ? { initial_value: description } : {}) },
      },
      { type: 'input', block_id: 'service', optional: true, label: text('Affected service'), element: { type: 'plain_text_input', action_id: 'value' } },
      { type: 'input', block_id: 'trace', optional: true, label: text('Trace ID'), hint: text('sitrep reads the trace to find where the failure starts'), element: { type: 'plain_text_input', action_id: 'value' } },
    ],
  };
}

/** The card's "Post update" button: a status update for the room and the announcements channel. */
export function statusUpdateModal(i: Incident): View {
  return {
    type: 'modal',
    callback_id: VIEWS.statusUpdate,
    private_metadata: JSON.stringify({ incidentId: i.id }),
    title: text('Status update'),
    submit: text('Post'),
    blocks: [
      { type: 'section', text: mrkdwn(`Posted in the room and the announcements channel for *${incidentLabel(i)}* (${i.severity}, ${i.status}), and recorded on the timeline.`) },
      { type: 'input', block_id: 'text', label: text('What is happening, and what is next?'), element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 } },
    ],
  };
}

export function handoffModal(incidentId: string, currentTeam: string | undefined): View {
  return {
    type: 'modal',
    callback_id: VIEWS.handoff,
    private_metadata: JSON.stringify({ incidentId }),
    title: text('Not this team'),
    submit: text('Hand off'),
    blocks: [
      { type: 'section', text: mrkdwn(`Triage suggested *${currentTeam ?? 'no team'}*. Which team should own this instead, and why? The hand-off is recorded on the timeline.`) },
      { type: 'input', block_id: 'team', label: text('Team'), element: { type: 'plain_text_input', action_id: 'value' } },
      { type: 'input', block_id: 'reason', optional: true, label: text('Why'), element: { type: 'plain_text_input', action_id: 'value', multiline: true } },
    ],
  };
}

/** Which incident a message belongs to; `token` names the message kept in Redis meanwhile. */
export function capturePickModal(open: Incident[], token: string): View {
  return {
    type: 'modal',
    callback_id: VIEWS.capturePick,
    private_metadata: JSON.stringify({ token }),
    title: text('Add to timeline'),
    submit: text('Add'),
    blocks: [
      {
        type: 'input',
        block_id: 'incident',
        label: text('Incident'),
        element: { type: 'static_select', action_id: 'value', options: open.slice(0, 100).map((i) => ({ text: text(`${incidentLabel(i)} ${i.title}`), value: i.id })) },
      },
    ],
  };
}

export const STATUS_VALUES = STATUSES;
