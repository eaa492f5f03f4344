// The subpath: the package index loads all ~300 date-fns modules at start-up.
import { format } from 'date-fns/format';
import { tz } from '@date-fns/tz';
import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { checklistProgress } from '../../domain/checklist.js';
import { incidentLabel, type Incident, type PageState } from '../../domain/incident.js';
import { parseSeverity, SEVERITIES, type Severity, type SeverityLabels } from '../../domain/severity.js';
import { allowedTransitions, isOpen } from '../../domain/status.js';
import type { IncidentView, PageView } from '../../incidents/chat-port.js';
import { changeLines } from '../../changes/format.js';

/**
 * Adaptive Cards for Teams (1.5; 1.6 where the lead picker needs it). Every button is an `Action.Execute` (Universal Actions: Teams sends
 * an `adaptiveCard/action` invoke and shows the card we answer with) whose `fallback` is an
 * `Action.Submit` with the same data plus the verb, for clients without Universal Actions (they send a
 * message activity carrying `value`).
 */
export type AdaptiveCard = Record<string, unknown>;
type Element = Record<string, unknown>;

export const CARD_VERBS = ['severity', 'status', 'lead', 'resolve', 'resolveFromAlert', 'close', 'reopen', 'acknowledge', 'decline', 'pageTeam', 'handoff', 'checklist', 'statusUpdate'] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

/** What a button press carries back: the verb, whose incident or page, and any inputs of its card. */
export const CardAction = z.object({
  verb: z.enum(CARD_VERBS),
  incidentId: z.string().min(1),
  pageId: z.string().optional(),
  team: z.string().optional(),
  severity: z.string().optional(),
  status: z.string().optional(),
  /** The lead picker's choice: an AAD object id. */
  lead: z.string().optional(),
  reason: z.string().optional(),
  /** The text of a status update typed into the card. */
  update: z.string().optional(),
  /** The checklist item a toggle ticks. */
  itemId: z.string().optional(),
  /** Set on the page card in the 1:1 chat: the answer then shows the page, not the incident card. */
  card: z.literal('page').optional(),
});
export type CardAction = z.infer<typeof CardAction>;

/** The action of an invoke (`verb` beside `data`) or of a Submit fallback (`verb` inside the data). */
export function readCardAction(verb: string | undefined, data: unknown): CardAction | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const parsed = CardAction.safeParse({ ...(data as Record<string, unknown>), ...(verb ? { verb } : {}) });
  return parsed.success ? parsed.data : undefined;
}

const CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: CONTENT_TYPE, content: card };
}

/**
 * Messages use the thread's full width; a dialog sizes its card itself. Cards declare 1.5, which every
 * Teams client renders; a card using a 1.6 feature (the lead picker's typeahead) says so.
 */
export function card(body: Element[], actions: Element[] = [], options: { fullWidth?: boolean; version?: '1.5' | '1.6' } = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: options.version ?? '1.5',
    ...(options.fullWidth === false ? {} : { msteams: { width: 'Full' } }),
    body,
    ...(actions.length ? { actions } : {}),
  };
}

/** The card an Action.ShowCard unfolds. */
function subCard(body: Element[], actions: Element[]): Element {
  return { type: 'AdaptiveCard', body, actions };
}

function execute(title: string, verb: CardVerb, data: Omit<CardAction, 'verb'>, style?: 'positive' | 'destructive'): Element {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...(style ? { style } : {}),
    fallback: { type: 'Action.Submit', title, data: { ...data, verb }, ...(style ? { style } : {}) },
  };
}

export const textBlock = (text: string, extra: Element = {}): Element => ({ type: 'TextBlock', text, wrap: true, ...extra });

function nameOf(actor: Actor | undefined): string {
  return actor ? (actor.name ?? actor.id) : 'unassigned';
}

function when(iso: string, timeZone: string): string {
  return format(new Date(iso), 'd MMM HH:mm zzz', { in: tz(timeZone) });
}

const SEVERITY_STYLE: Record<Severity, string> = { SEV1: 'attention', SEV2: 'warning', SEV3: 'accent', SEV4: 'default' };
const SEVERITY_ICON: Record<Severity, string> = { SEV1: '🔴', SEV2: '🟠', SEV3: '🟡', SEV4: '⚪' };

function pageLine(page: PageState, timeZone: string): string {
  const who = page.targets.map(nameOf).join(', ') || 'nobody on call';
  const scope = `${page.team ?? 'direct'}, level ${page.level + 1}`;
  switch (page.status) {
    case 'pending':
      return `📟 paged ${who} (${scope})${page.nextEscalationAt ? ` — escalates at ${when(page.nextEscalationAt, timeZone)} if nobody acknowledges` : ''}`;
    case 'acknowledged':
      return `✅ acknowledged by ${nameOf(page.acknowledgedBy)} (${scope})`;
    case 'exhausted':
      return `⚠️ nobody answered the page for ${page.team ?? 'this incident'} (all levels tried)`;
    case 'cancelled':
      return `🔕 page for ${page.team ?? who} cancelled`;
  }
}

/** The summary card at the top of the incident thread: the state at a glance, plus the controls. */
export function incidentCard(view: IncidentView): AdaptiveCard {
  const { incident: i, labels, timeZone } = view;
  const facts = [
    { title: 'Severity', value: `${i.severity} · ${labels[i.severity]}` },
    { title: 'Status', value: i.status },
    { title: 'Lead', value: nameOf(i.roles.lead) },
    { title: 'Declared', value: when(i.declaredAt, timeZone) },
    ...(i.roles.comms ? [{ title: 'Comms', value: nameOf(i.roles.comms) }] : []),
    ...(i.roles.scribe ? [{ title: 'Scribe', value: nameOf(i.roles.scribe) }] : []),
    ...(i.suspectedOwner ? [{ title: 'Suspected owner', value: `${i.suspectedOwner.team} (${i.suspectedOwner.via})` }] : []),
    ...(i.affectedServices.length ? [{ title: 'Services', value: i.affectedServices.join(', ') }] : []),
  ];
  const body: Element[] = [
    {
      type: 'Container',
      style: isOpen(i.status) ? SEVERITY_STYLE[i.severity] : 'good',
      bleed: true,
      items: [textBlock(`${SEVERITY_ICON[i.severity]} ${incidentLabel(i)} · ${i.title}`, { size: 'Large', weight: 'Bolder' })],
    },
    { type: 'FactSet', facts },
  ];
  if (i.description) body.push(textBlock(i.description));
  body.push(...triageElements(i));
  if (i.changes?.length) body.push(textBlock(changesText(i, timeZone), { spacing: 'Medium' }));
  body.push(...checklistElements(i, timeZone));
  if (i.pages.length) body.push(textBlock(i.pages.map((p) => pageLine(p, timeZone)).join('\n\n'), { spacing: 'Medium' }));
  if (i.links.length) body.push(textBlock(i.links.map((l) => `[${l.label}](${l.url})`).join(' · '), { isSubtle: true }));
  if (i.runbooks?.length) body.push(textBlock(`**Runbooks:** ${i.runbooks.map((r) => `[${`${r.service}: ${r.label}`.replace(/[[\]]/g, ' ')}](${r.url})`).join(' · ')}`, { isSubtle: true }));
  if (i.resolveSummary) body.push(textBlock(`**Resolution**\n\n${i.resolveSummary}`));
  if (i.status === 'closed') body.push(textBlock('This incident is closed. The postmortem draft is in this thread.', { isSubtle: true }));
  // 1.6: the lead picker's `choices.data` typeahead and `filtered` style.
  return card(body, controls(i, labels), { version: isOpen(i.status) ? '1.6' : '1.5' });
}

const MAX_CARD_CHANGES = 5;

function changesText(i: Incident, timeZone: string): string {
  const { lines, more } = changeLines(i.changes ?? [], { timeZone, anchor: i.declaredAt, link: (label, url) => `[${label}](${url})`, max: MAX_CARD_CHANGES });
  const tail = more ? `\n\n_and ${more} more: incident changes_` : '';
  return `🔀 **Changes in the hour before** (closest first)\n\n${lines.map((l) => `- ${l}`).join('\n')}${tail}`;
}

function checklistElements(i: Incident, timeZone: string): Element[] {
  const items = i.checklist ?? [];
  if (items.length === 0) return [];
  const { done, total } = checklistProgress(items);
  const lines = items.map((item) =>
    item.doneAt ? `- ✅ ~~${item.text}~~ — ${nameOf(item.doneBy)}, ${format(new Date(item.doneAt), 'HH:mm', { in: tz(timeZone) })}` : `- ⬜ ${item.text}`,
  );
  const elements: Element[] = [textBlock(`**Checklist** ${done}/${total}\n\n${lines.join('\n')}`, { spacing: 'Medium' })];
  const open = items.filter((item) => !item.doneAt);
  if (open.length && i.status !== 'closed') {
    elements.push({ type: 'ActionSet', actions: open.map((item) => execute(`✓ ${item.text}`, 'checklist', { incidentId: i.id, itemId: item.id })) });
  }
  return elements;
}

function triageElements(i: Incident): Element[] {
  const t = i.triage;
  if (!t) return [];
  const icon = t.outcome === 'ok' ? '🔎' : t.outcome === 'pending' ? '⏳' : '❔';
  const link = t.traceUrl ? ` [open trace](${t.traceUrl})` : '';
  const items: Element[] = [textBlock(`${icon} **Suspected origin** (a hypothesis to confirm)\n\n${t.summary}${link}`, { spacing: 'Medium' })];
  if (t.alternatives.length > 1) {
    const ranked = t.alternatives.map((a, n) => `${n + 1}. ${a.service}${a.team ? ` (${a.team})` : ''} — ${Math.round(a.confidence * 100)}%`).join('\n');
    items.push(textBlock(`Other plausible origins:\n\n${ranked}`, { isSubtle: true }));
  }
  if (t.outcome === 'ok' && t.team && isOpen(i.status)) {
    items.push({
      type: 'ActionSet',
      actions: [
        execute(`Page ${t.team}`, 'pageTeam', { incidentId: i.id, team: t.team }, 'positive'),
        {
          type: 'Action.ShowCard',
          title: 'Not this team',
          card: subCard(
            [
              textBlock(`Triage suggested **${t.team}**. Which team should own this instead, and why? The hand-off is recorded on the timeline.`),
              { type: 'Input.Text', id: 'team', label: 'Team', isRequired: true, errorMessage: 'Name the team.' },
              { type: 'Input.Text', id: 'reason', label: 'Why', isMultiline: true },
            ],
            [execute('Hand off', 'handoff', { incidentId: i.id })],
          ),
        },
      ],
    });
  }
  return items;
}

function controls(i: Incident, labels: SeverityLabels): Element[] {
  if (i.status === 'closed') return [];
  if (i.status === 'resolved') {
    return [execute('Close & draft postmortem', 'close', { incidentId: i.id }, 'positive'), execute('Reopen', 'reopen', { incidentId: i.id })];
  }
  const statuses = allowedTransitions(i.status).filter((s) => s !== 'resolved' && s !== 'closed');
  const actions: Element[] = [
    {
      type: 'Action.ShowCard',
      title: 'Severity',
      card: subCard(
        [{ type: 'Input.ChoiceSet', id: 'severity', label: 'Severity', value: i.severity, choices: SEVERITIES.map((s) => ({ title: `${s} · ${labels[s]}`, value: s })) }],
        [execute('Set severity', 'severity', { incidentId: i.id })],
      ),
    },
  ];
  if (statuses.length) {
    actions.push({
      type: 'Action.ShowCard',
      title: 'Status',
      card: subCard(
        [{ type: 'Input.ChoiceSet', id: 'status', label: 'Status', value: statuses[0], choices: statuses.map((s) => ({ title: s, value: s })) }],
        [execute('Set status', 'status', { incidentId: i.id })],
      ),
    });
  }
  actions.push(leadPicker(i));
  actions.push({
    type: 'Action.ShowCard',
    title: 'Post update',
    card: subCard(
      [{ type: 'Input.Text', id: 'update', label: 'What is happening, and what is next?', isMultiline: true, isRequired: true, maxLength: 2000, errorMessage: 'Write the update.' }],
      [execute('Post update', 'statusUpdate', { incidentId: i.id })],
    ),
  });
  const pending = i.pages.filter((p) => p.status === 'pending').at(-1);
  if (pending) actions.push(execute('Acknowledge page', 'acknowledge', { incidentId: i.id, pageId: pending.id }, 'positive'));
  actions.push(execute('Resolve', 'resolve', { incidentId: i.id }, 'destructive'));
  return actions;
}

/** What Teams names in its `application/search` invokes when someone types in the lead picker. */
export const MEMBERS_DATASET = 'sitrep.members';

/** Teams shows at most 15 options in a typeahead dropdown. */
export const MAX_PICKER_CHOICES = 15;

/**
 * The lead picker: Teams asks us for people as the user types (`choices.data`, answered from the team's
 * roster, no Graph needed). Clients without typeahead show only the static choices: the people this
 * incident already involves, the likeliest next leads.
 */
function leadPicker(i: Incident): Element {
  const choices = knownPeople(i).map((a) => ({ title: nameOf(a), value: a.id }));
  return {
    type: 'Action.ShowCard',
    title: 'Lead',
    card: subCard(
      [
        {
          type: 'Input.ChoiceSet',
          id: 'lead',
          label: 'Lead',
          style: 'filtered',
          placeholder: 'Type a name',
          isRequired: true,
          errorMessage: 'Pick the new lead.',
          ...(i.roles.lead?.platform === 'teams' ? { value: i.roles.lead.id } : {}),
          choices,
          'choices.data': { type: 'Data.Query', dataset: MEMBERS_DATASET },
        },
      ],
      [execute('Assign lead', 'lead', { incidentId: i.id })],
    ),
  };
}

/** Teams people the incident already knows: declarer, role holders, paged and acknowledging people. */
function knownPeople(i: Incident): Actor[] {
  const candidates = [i.roles.lead, i.declaredBy, i.roles.comms, i.roles.scribe, ...i.pages.flatMap((p) => [p.acknowledgedBy, ...p.targets])];
  const seen = new Map<string, Actor>();
  for (const a of candidates) if (a?.platform === 'teams' && !seen.has(a.id)) seen.set(a.id, a);
  return [...seen.values()].slice(0, MAX_PICKER_CHOICES);
}

/** The page the person on call receives in their 1:1 chat. Once answered, the buttons give way to what happened. */
export function pageCard(page: PageView): AdaptiveCard {
  const i = page.incident;
  const lines = [
    `${page.team ? `On call for **${page.team}**, level ${page.level + 1}.` : 'Paged directly.'}`,
    // Adaptive Card markdown has no blockquote: the page's words are quoted and set apart in italics.
    ...(page.message ? [`_“${page.message.replace(/[_*]/g, '')}”_`] : []),
    ...(i.triage?.outcome === 'ok' ? [i.triage.summary] : []),
  ];
  const body: Element[] = [
    {
      type: 'Container',
      style: SEVERITY_STYLE[i.severity],
      bleed: true,
      items: [textBlock(`🚨 You are paged for ${incidentLabel(i)} (${i.severity})`, { size: 'Large', weight: 'Bolder' }), textBlock(`**${i.title}**`)],
    },
    textBlock(lines.join('\n\n')),
  ];
  const actions: Element[] = [];
  if (!page.outcome) {
    actions.push(
      execute('Acknowledge', 'acknowledge', { incidentId: i.id, pageId: page.pageId, card: 'page' }, 'positive'),
      execute("Can't take it", 'decline', { incidentId: i.id, pageId: page.pageId, card: 'page' }),
    );
  } else {
    const by = page.outcome.by ? ` by ${nameOf(page.outcome.by)}` : '';
    const what = { acknowledged: '✅ Acknowledged', declined: '➡️ Passed on', escalated: '⬆️ Escalated to the next level', cancelled: '🔕 No longer needed' }[page.outcome.kind];
    body.push(textBlock(`${what}${by}.`, { weight: 'Bolder' }));
  }
  if (i.room?.url) actions.push({ type: 'Action.OpenUrl', title: 'Open the incident', url: i.room.url });
  return card(body, actions);
}

/** The incident's alerts resolved: offer to resolve it. */
export function resolveOfferCard(i: Incident, message: string): AdaptiveCard {
  return card([textBlock(message)], [execute('Resolve incident', 'resolveFromAlert', { incidentId: i.id }, 'positive')]);
}

/** "Add to incident timeline" outside an incident thread with several incidents open: which one? */
export function capturePickCard(open: Incident[], captureToken: string): AdaptiveCard {
  return card(
    [
      textBlock('Which incident should this message go to?'),
      {
        type: 'Input.ChoiceSet',
        id: 'incidentId',
        label: 'Incident',
        isRequired: true,
        errorMessage: 'Pick an incident.',
        value: open[0]?.id,
        choices: open.slice(0, 100).map((i) => ({ title: `${incidentLabel(i)} ${i.severity} · ${i.title}`, value: i.id })),
      },
    ],
    [{ type: 'Action.Submit', title: 'Add', data: { captureToken } }],
  );
}

/** Names the declare dialog in its buttons' data, which Teams hands back on task/fetch and task/submit. */
export const DECLARE_DIALOG = 'declare';

/** The declare form's inputs as typed, and the problems to show beside them when it comes back. */
export interface DeclareFormState {
  values?: { title?: string; severity?: string; description?: string; service?: string; traceId?: string };
  errors?: { title?: string; traceId?: string };
  /** "Declare incident from message": the waiting message, captured once declared. */
  captureToken?: string;
}

/** `@sitrep incident` alone: a button that opens the declare form in a dialog (Teams asks us for it with task/fetch). */
export function declareLauncherCard(): AdaptiveCard {
  return card(
    [textBlock('Declare an incident with its severity, what is happening, the affected service and a trace id. In a hurry? @sitrep incident <title> declares at once.')],
    [{ type: 'Action.Submit', title: 'Declare an incident', style: 'positive', data: { msteams: { type: 'task/fetch' }, dialog: DECLARE_DIALOG } }],
  );
}

const errorBlock = (message: string | undefined): Element[] => (message ? [textBlock(message, { color: 'attention', spacing: 'Small' })] : []);

const textInput = (id: string, label: string, value: string | undefined, extra: Element = {}): Element => ({ type: 'Input.Text', id, label, ...extra, ...(value ? { value } : {}) });

/** The declare form, the same fields as Slack's; a refused submit shows it again with what was typed and the errors. */
export function declareFormCard(labels: SeverityLabels, defaultSeverity: Severity, state: DeclareFormState = {}): AdaptiveCard {
  const { values = {}, errors = {} } = state;
  const body: Element[] = [
    textInput('title', 'Title', values.title, { isRequired: true, maxLength: 200, errorMessage: 'Give the incident a title.', placeholder: 'Checkout returns 500 for EU users' }),
    ...errorBlock(errors.title),
    {
      type: 'Input.ChoiceSet',
      id: 'severity',
      label: 'Severity',
      value: parseSeverity(values.severity ?? '') ?? defaultSeverity,
      choices: SEVERITIES.map((s) => ({ title: `${s} · ${labels[s]}`, value: s })),
    },
    textInput('description', 'What is happening?', values.description, { isMultiline: true }),
    textInput('service', 'Affected service', values.service),
    textInput('traceId', 'Trace ID', values.traceId, { placeholder: 'sitrep reads the trace to find where the failure starts' }),
    ...errorBlock(errors.traceId),
  ];
  const data = { dialog: DECLARE_DIALOG, ...(state.captureToken ? { captureToken: state.captureToken } : {}) };
  return card(body, [{ type: 'Action.Submit', title: 'Declare', style: 'positive', data }], { fullWidth: false });
}

export function cardFallback(i: Incident): string {
  return `${incidentLabel(i)} ${i.severity} ${i.status}: ${i.title}`;
}
