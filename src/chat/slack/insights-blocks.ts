import type { types } from '@slack/bolt';
import type { InsightsDigest } from '../../incidents/deps.js';
import { slackSafe } from './markup.js';

/** The link button's action id: Slack still sends a click on a URL button, which must be acknowledged. */
export const OPEN_INSIGHTS_ACTION = 'sitrep_open_insights';

// Block Kit limits: a header's text 150 characters, a section 10 fields of 2,000 characters each.
const MAX_FIELDS = 10;

/** `/incident report` as Block Kit: a header, the figures as two-column fields, a button to the Insights page. */
export function insightsBlocks(digest: InsightsDigest): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: digest.title.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: slackSafe(digest.headline) } },
  ];
  for (let i = 0; i < digest.facts.length; i += MAX_FIELDS) {
    const fields = digest.facts.slice(i, i + MAX_FIELDS).map((f) => ({ type: 'mrkdwn' as const, text: slackSafe(`*${f.label}*\n${f.value}`).slice(0, 2000) }));
    blocks.push({ type: 'section', fields });
  }
  if (digest.link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: OPEN_INSIGHTS_ACTION, text: { type: 'plain_text', text: 'Open Insights' }, url: digest.link }],
    });
  }
  return blocks;
}
