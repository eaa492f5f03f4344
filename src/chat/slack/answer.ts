import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { slackErrorCode } from './errors.js';
import { slackSafe } from './markup.js';

/** Where a private answer can reach a person, best first. */
export interface AnswerTo {
  user: string;
  /** The channel they acted in: an ephemeral there is the natural answer, if sitrep may post in it. */
  channel?: string;
  /** The interaction's response_url: works in channels sitrep is not in, 5 times in 30 minutes. */
  responseUrl?: string;
}

/**
 * Tells one person something privately, whatever channel they acted in. An ephemeral fails with
 * `not_in_channel` where sitrep is not a member (a shortcut in #general, `/incident` in a channel nobody
 * invited it to); the interaction's response_url still reaches them, and a direct message always does.
 * The answer is never dropped silently: if everything fails, the log says what the person did not hear.
 */
export async function answerPrivately(client: webApi.WebClient, to: AnswerTo, text: string, log: Logger): Promise<'ephemeral' | 'response_url' | 'dm' | 'lost'> {
  const safe = slackSafe(text);
  const failures: string[] = [];
  if (to.channel) {
    try {
      await client.chat.postEphemeral({ channel: to.channel, user: to.user, text: safe });
      return 'ephemeral';
    } catch (err) {
      failures.push(`ephemeral: ${slackErrorCode(err) ?? (err as Error).message}`);
    }
  }
  if (to.responseUrl) {
    try {
      const res = await fetch(to.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: safe }),
        signal: AbortSignal.timeout(5000),
      });
      if (res.ok) return 'response_url';
      failures.push(`response_url: HTTP ${res.status}`);
    } catch (err) {
      failures.push(`response_url: ${(err as Error).message}`);
    }
  }
  try {
    // Posting to a user id lands in the app's direct messages with them.
    await client.chat.postMessage({ channel: to.user, text: safe });
    return 'dm';
  } catch (err) {
    failures.push(`dm: ${slackErrorCode(err) ?? (err as Error).message}`);
  }
  log.error({ user: to.user, channel: to.channel, failures }, 'could not tell a person the answer to what they did');
  return 'lost';
}
