import { webApi } from '@slack/bolt';
import { slackErrorCode } from './errors.js';

/** What the Slack adapter reports for the operator metrics; the composition root wires it to /metrics. */
export interface SlackObserver {
  /** A Web API call made outside the chat port (look-ups, forms, answers): Slack's method name and how it went. */
  apiCall(method: string, outcome: string): void;
  /** A request to /slack/events refused because its signature did not verify. */
  signatureRejected(): void;
}

/** `ok`, `rate_limited`, or Slack's error code (`not_in_channel`, `request_failed`, …), as the chat port counts them. */
export function slackCallOutcome(err: unknown): string {
  const code = slackErrorCode(err);
  if (code === 'ratelimited') return 'rate_limited';
  return code ?? 'unexpected';
}

/**
 * A WebClient whose every call is reported. A subclass, not a wrapper: WebClient binds `users.info`
 * and friends to `apiCall` when it is built, so only an overriding method sees them all.
 */
export class MeteredWebClient extends webApi.WebClient {
  constructor(
    token: string,
    options: webApi.WebClientOptions,
    private readonly observe: SlackObserver['apiCall'],
  ) {
    super(token, options);
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<webApi.WebAPICallResult> {
    try {
      const result = await super.apiCall(method, options);
      this.observe(method, 'ok');
      return result;
    } catch (err) {
      this.observe(method, slackCallOutcome(err));
      throw err;
    }
  }
}
