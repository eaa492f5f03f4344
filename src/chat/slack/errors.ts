import { isSitrepError, SitrepError } from '../../domain/errors.js';
import type { Logger } from '../../log.js';

/** Slack's error code of a failed Web API call, if that is what `err` is. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  if (e?.code === 'slack_webapi_platform_error') return e.data?.error;
  if (e?.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  if (e?.code === 'slack_webapi_request_error') return 'request_failed';
  return undefined;
}

const PLAIN_WORDS: Record<string, string> = {
  channel_not_found: 'Slack could not find that channel (it may be private or deleted).',
  not_in_channel: 'sitrep is not a member of that channel. Invite it with /invite @sitrep and try again.',
  is_archived: 'That channel is archived. Unarchive it or declare a new incident.',
  missing_scope: 'sitrep is missing a Slack permission. Reinstall the app from manifests/slack/manifest.yaml.',
  not_authed: 'sitrep could not authenticate to Slack. Check SLACK_BOT_TOKEN.',
  invalid_auth: 'Slack rejected sitrep’s token. Check SLACK_BOT_TOKEN.',
  account_inactive: 'sitrep’s Slack token belongs to a deactivated account. Reinstall the app.',
  restricted_action: 'Your workspace settings do not allow sitrep to do that (e.g. create channels). Ask a Slack admin.',
  ratelimited: 'Slack is rate-limiting sitrep right now. It will retry; try again in a minute if nothing happens.',
  user_not_found: 'Slack could not find that person.',
  request_failed: 'sitrep could not reach Slack. It will work again once the network is back.',
  expired_trigger_id: 'That took too long for Slack. Please run the command again.',
};

/** Turns a Slack API failure into an error whose message a person can act on; keeps the code for logs. */
export function toSitrepError(err: unknown, doing: string): SitrepError | unknown {
  const code = slackErrorCode(err);
  if (!code) return err;
  const words = PLAIN_WORDS[code] ?? `Slack answered "${code}".`;
  return new SitrepError('unavailable', `Could not ${doing}: ${words}`, { cause: err });
}

/**
 * A person's mistake (an unknown subcommand, a wrong severity, closing without being the lead) is
 * theirs to fix and they were told: info, without a stack. Our failures and Slack's stay errors.
 */
export function logFailure(log: Logger, what: string, err: unknown): void {
  if (isSitrepError(err) && err.code !== 'unavailable') log.info({ what, code: err.code, reason: err.userMessage }, 'slack request refused');
  else log.error({ err, what }, 'slack handler failed');
}
