import type { InsightsDigest } from '../../incidents/deps.js';
import { card, textBlock, type AdaptiveCard } from './cards.js';

/** `/incident report` as an Adaptive Card: a title, the figures as a FactSet, a button to the Insights page. */
export function insightsCard(digest: InsightsDigest): AdaptiveCard {
  const body = [
    textBlock(digest.title, { size: 'Medium', weight: 'Bolder' }),
    textBlock(digest.headline),
    ...(digest.facts.length ? [{ type: 'FactSet', facts: digest.facts.map((f) => ({ title: f.label, value: f.value })) }] : []),
  ];
  return card(body, digest.link ? [{ type: 'Action.OpenUrl', title: 'Open Insights', url: digest.link }] : []);
}
