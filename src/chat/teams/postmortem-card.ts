import { incidentLabel } from '../../domain/incident.js';
import type { PostmortemView } from '../../incidents/chat-port.js';
import { card, textBlock, type AdaptiveCard } from './cards.js';

/**
 * Teams refuses messages over about 28 KB, the whole activity included; the card stays well under,
 * whatever the incident wrote. What does not fit is in the full draft the card links to.
 */
export const MAX_POSTMORTEM_CARD_BYTES = 20_000;
const MAX_TEXT = 300;

const clip = (text: string, max = MAX_TEXT) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/**
 * What people wrote, on one line. Not escaped: Teams shows backslash escapes and HTML entities literally
 * in card text (the garble this card replaces), and angle brackets are plain text in a TextBlock.
 */
const plain = (text: string, max?: number) => clip(text.replace(/\s+/g, ' ').trim(), max);
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** The postmortem draft at a glance in the incident room, with the way to the whole draft. */
export function postmortemCard(view: PostmortemView): AdaptiveCard {
  for (const limits of [
    { actions: 10, flagged: 5, text: MAX_TEXT },
    { actions: 5, flagged: 3, text: 150 },
    { actions: 2, flagged: 1, text: 80 },
    { actions: 0, flagged: 0, text: 80 },
  ]) {
    const built = build(view, limits);
    if (bytes(built) <= MAX_POSTMORTEM_CARD_BYTES) return built;
  }
  return build({ ...view, incident: { ...view.incident, title: clip(view.incident.title, 80) }, origin: undefined }, { actions: 0, flagged: 0, text: 80 });
}

function build(view: PostmortemView, limits: { actions: number; flagged: number; text: number }): AdaptiveCard {
  const i = view.incident;
  const more = (shown: number, total: number) => (total > shown ? [textBlock(`… and ${total - shown} more in the full draft.`, { isSubtle: true, spacing: 'None' })] : []);
  const body: Record<string, unknown>[] = [
    {
      type: 'Container',
      style: 'emphasis',
      bleed: true,
      items: [
        textBlock(`📝 Postmortem draft · ${incidentLabel(i)}: ${plain(i.title, limits.text)}`, { size: 'Large', weight: 'Bolder' }),
        textBlock(`Revision ${view.revision}, drafted for ${plain(view.by.name ?? view.by.id, 80)}. Fill in the ✏️ prompts and confirm the suspected origin before publishing.`, { isSubtle: true }),
      ],
    },
    textBlock('Response', { weight: 'Bolder', spacing: 'Medium' }),
    { type: 'FactSet', facts: view.metrics.map((m) => ({ title: m.name, value: m.value ?? 'not measured' })) },
  ];
  if (view.origin) {
    const trace = view.origin.traceUrl ? ` [open trace](${view.origin.traceUrl})` : '';
    body.push(textBlock('Suspected origin (a hypothesis to confirm)', { weight: 'Bolder', spacing: 'Medium' }), textBlock(`${plain(view.origin.summary, limits.text)}${trace}`));
  }
  body.push(textBlock('Action items', { weight: 'Bolder', spacing: 'Medium' }));
  const actions = view.actionItems.slice(0, limits.actions);
  if (view.actionItems.length === 0) body.push(textBlock('None recorded yet: add them in the draft.', { isSubtle: true }));
  else if (actions.length) body.push(textBlock(actions.map((a) => `- ${plain(a.text, limits.text)} — ${a.owner ? plain(a.owner, 80) : 'no owner'}`).join('\n')));
  body.push(...more(actions.length, view.actionItems.length));
  if (view.flagged.length) {
    body.push(textBlock(`Wording to reconsider (${view.flagged.length})`, { weight: 'Bolder', spacing: 'Medium', color: 'warning' }));
    const flagged = view.flagged.slice(0, limits.flagged);
    if (flagged.length) body.push(textBlock(flagged.map((x) => `- "${plain(x.phrase, 80)}" in the ${plain(x.source, 80)}: ${plain(x.suggestion, limits.text)}`).join('\n')));
    body.push(...more(flagged.length, view.flagged.length));
  }
  if (view.links.length === 0) {
    body.push(textBlock(`The whole draft is stored with the incident; export it with: ${view.exportCommand}`, { isSubtle: true, spacing: 'Medium' }));
  }
  return card(
    body,
    view.links.map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.url })),
  );
}
