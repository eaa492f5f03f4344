import { card, DECLARE_DIALOG, textBlock, type AdaptiveCard } from './cards.js';

/** Where incidents open, in the words Teams users see: a thread in the incidents channel, or a channel of their own. */
export interface RoomWords {
  roomMode: 'thread' | 'channel';
  /** A deep link to the incidents channel, when sitrep knows it. */
  incidentsChannelUrl?: string;
}

const DECLARE_BUTTON = { type: 'Action.Submit', title: 'Declare an incident', style: 'positive', data: { msteams: { type: 'task/fetch' }, dialog: DECLARE_DIALOG } };

function room(words: RoomWords): { noun: string; where: string } {
  if (words.roomMode === 'channel') return { noun: 'channel', where: 'gets a channel of its own in this team' };
  const channel = words.incidentsChannelUrl ? `[the incidents channel](${words.incidentsChannelUrl})` : 'the incidents channel';
  return { noun: 'thread', where: `opens as a new thread in ${channel}` };
}

/** The commands, as Teams users type them: `@sitrep incident …`, and "thread" or "channel" as the room is here. */
export function helpLines(words: RoomWords): string[] {
  const { noun, where } = room(words);
  return [
    `**@sitrep incident <title>** declares an incident; it ${where}. **@sitrep incident** alone opens a form.`,
    `In the incident's ${noun} (or the thread you declared it from):`,
    [
      '- **@sitrep incident status** investigating | identified | monitoring [message]',
      '- **@sitrep incident sev** 1–4',
      '- **@sitrep incident lead** | **comms** | **scribe** @person',
      '- **@sitrep incident note** <text> — add a note to the timeline',
      '- **@sitrep incident action** <text> [@owner] — a follow-up action item',
      '- **@sitrep incident page** <team | @person> [message] — page the on-call',
      '- **@sitrep incident trace** <trace id> — find where the failure starts and who owns it',
      '- **@sitrep incident owner** <team> [reason] — hand the incident to another team',
      '- **@sitrep incident resolve** [summary], **reopen**, **close** (lead only), **postmortem**',
    ].join('\n'),
    'Anywhere: **@sitrep incident list** (open incidents), **@sitrep incident help**. On any message: … › **Add to incident timeline**.',
  ];
}

/** The answer to anything sitrep does not take for a command: what it can do, and a button to declare. */
export function helpCard(words: RoomWords, reason?: string): AdaptiveCard {
  const body = [
    ...(reason ? [textBlock(reason, { weight: 'Bolder' })] : []),
    ...helpLines(words).map((line) => textBlock(line)),
  ];
  return card(body, [DECLARE_BUTTON]);
}

/** Posted once where sitrep is installed (a team, or someone's 1:1 chat): how to declare, the commands, where incidents open. */
export function welcomeCard(words: RoomWords): AdaptiveCard {
  const { where } = room(words);
  return card(
    [
      textBlock('👋 sitrep coordinates incidents here', { size: 'Large', weight: 'Bolder' }),
      textBlock(
        `Declare an incident with **@sitrep incident <title>** or the button below. Each incident ${where}, with a card that keeps its severity, status, lead and pages up to date. sitrep never opens an incident from ordinary chat.`,
      ),
      ...helpLines(words).map((line) => textBlock(line, { isSubtle: true })),
    ],
    [DECLARE_BUTTON],
  );
}

/** A plain-text summary for notifications, where the card is not shown. */
export const HELP_SUMMARY = 'sitrep: how to declare an incident and the commands';
