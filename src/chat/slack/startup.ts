import { webApi } from '@slack/bolt';
import { SitrepError } from '../../domain/errors.js';
import { slackErrorCode } from './errors.js';

const DEFAULT_API_URL = 'https://slack.com/api/';
const REJECTED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type', 'no_permission', 'missing_scope']);

/** What sitrep learns about itself when Slack accepts its token. */
export interface BotIdentity {
  userId?: string;
  botId?: string;
}

function where(apiUrl: string | undefined): string {
  return apiUrl ? `SLACK_API_URL=${apiUrl}` : `${DEFAULT_API_URL} (set SLACK_API_URL if Slack is reached another way)`;
}

/** A failed start-up call as one plain line naming the setting to fix. */
export function startupError(err: unknown, setting: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN', apiUrl: string | undefined): SitrepError {
  const code = slackErrorCode(err);
  if (code && code !== 'request_failed' && code !== 'ratelimited') {
    const what = REJECTED.has(code) ? `Slack rejected ${setting} (${code}).` : `Slack answered "${code}" when checking ${setting}.`;
    const fix =
      setting === 'SLACK_BOT_TOKEN'
        ? 'Copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions of your Slack app, or reinstall the app if it was revoked.'
        : 'Create an app-level token (xapp-…) with the connections:write scope under Basic Information → App-Level Tokens.';
    return new SitrepError('unauthenticated', `${what} ${fix}`, { cause: err });
  }
  const reason = (err as { original?: { message?: string } })?.original?.message ?? (err as Error)?.message ?? String(err);
  return new SitrepError('unavailable', `could not reach Slack at ${where(apiUrl)}: ${reason}. Check the network, proxy or SLACK_API_URL.`, { cause: err });
}

/**
 * Checks the bot token once, quickly, before Bolt starts: a bad or revoked token or an unreachable
 * Slack stops start-up with one plain line, instead of Bolt's stack trace after several retries.
 */
export async function verifyBotToken(token: string, apiUrl: string | undefined, logger: webApi.WebClientOptions['logger'], timeoutMs = 5000): Promise<BotIdentity> {
  // Our logger, so web-api's own warnings go to the structured log, not as extra lines on stderr.
  const client = new webApi.WebClient(token, { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: { retries: 0 }, timeout: timeoutMs, logger });
  try {
    const res = await client.auth.test();
    return { userId: res.user_id, botId: res.bot_id };
  } catch (err) {
    throw startupError(err, 'SLACK_BOT_TOKEN', apiUrl);
  }
}
