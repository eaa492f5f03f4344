// PagerDuty Events API v2 (POST {base}/v2/enqueue): trigger, acknowledge and resolve alerts by dedup key.
// Rate limits (429) and PagerDuty outages (5xx, network errors) are retried with exponential backoff;
// anything else is our mistake and fails at once with PagerDuty's own explanation.
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { silentLogger, type Logger } from '../../log.js';
import { PagingError } from '../errors.js';

export const PAGERDUTY_EVENTS_BASE_URL = 'https://events.pagerduty.com';

export const PagerDutyEventSchema = z.object({
  routing_key: z.string().min(1),
  event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
  dedup_key: z.string().min(1).max(255),
  payload: z
    .object({
      summary: z.string().min(1).max(1024),
      source: z.string().min(1),
      severity: z.enum(['critical', 'error', 'warning', 'info']),
      timestamp: z.string().optional(),
      component: z.string().optional(),
      group: z.string().optional(),
      class: z.string().optional(),
      custom_details: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  links: z.array(z.object({ href: z.string(), text: z.string() })).optional(),
  client: z.string().optional(),
  client_url: z.string().optional(),
});
export type PagerDutyEvent = z.infer<typeof PagerDutyEventSchema>;

/** PagerDuty answers 202 `{status, message, dedup_key}`, or 400 `{status, message, errors[]}`. */
const ResponseSchema = z.object({
  status: z.string().optional(),
  message: z.string().optional(),
  dedup_key: z.string().optional(),
  errors: z.array(z.string()).optional(),
});
type EventsResponse = z.infer<typeof ResponseSchema>;

export type PagerDutyEventsOptions = {
  /** Defaults to https://events.pagerduty.com; the EU service region uses https://events.eu.pagerduty.com. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Attempts in total, including the first. */
  maxAttempts?: number;
  /** First retry delay; doubles each time, unless PagerDuty sends Retry-After. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  timeoutMs?: number;
  logger?: Logger;
};

export type PagerDutyEventsClient = {
  /** Sends one event; resolves with the dedup key PagerDuty filed it under. */
  send(event: PagerDutyEvent): Promise<{ dedupKey: string }>;
};

export function createPagerDutyEventsClient(options: PagerDutyEventsOptions = {}): PagerDutyEventsClient {
  const url = new URL('/v2/enqueue', options.baseUrl ?? PAGERDUTY_EVENTS_BASE_URL).toString();
  const doFetch = options.fetch ?? fetch;
  const maxAttempts = options.maxAttempts ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const log = options.logger ?? silentLogger;

  async function send(event: PagerDutyEvent): Promise<{ dedupKey: string }> {
    const body = JSON.stringify(PagerDutyEventSchema.parse(event));
    const action = event.event_action;
    for (let attempt = 1; ; attempt++) {
      const backoff = Math.min(retryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        if (attempt >= maxAttempts) {
          throw new PagingError(
            'PAGERDUTY_UNAVAILABLE',
            `Could not reach PagerDuty at ${url} to ${action} (${(err as Error).message}) after ${attempt} attempts. Page the team by phone and check the network.`,
            { cause: err },
          );
        }
        log.warn({ attempt, action, err: (err as Error).message }, 'PagerDuty unreachable; retrying');
        await delay(backoff);
        continue;
      }

      const answer = await readAnswer(response);
      if (response.ok) return { dedupKey: answer.dedup_key ?? event.dedup_key };

      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < maxAttempts) {
        const wait = retryAfterMs(response, maxRetryDelayMs) ?? backoff;
        log.warn({ attempt, action, status: response.status, waitMs: wait }, 'PagerDuty busy; retrying');
        await delay(wait);
        continue;
      }
      const detail = explain(answer, response.status);
      if (retryable) {
        throw new PagingError(
          'PAGERDUTY_UNAVAILABLE',
          `PagerDuty did not accept the ${action} after ${attempt} attempts (HTTP ${response.status}: ${detail}). Page the team by phone and retry later.`,
        );
      }
      throw new PagingError(
        'PAGERDUTY_REJECTED',
        `PagerDuty rejected the ${action} (HTTP ${response.status}: ${detail}). Check the team's routing key in oncall.yaml.`,
      );
    }
  }

  return { send };
}

async function readAnswer(response: Response): Promise<EventsResponse> {
  const text = await response.text();
  try {
    const parsed = ResponseSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    // A proxy or load balancer may answer with HTML; keep a little of it for the error message.
    return text ? { message: text.slice(0, 200) } : {};
  }
}

function explain(answer: EventsResponse, status: number): string {
  const message = answer.message ?? `status ${status}`;
  return answer.errors && answer.errors.length > 0 ? `${message}: ${answer.errors.join('; ')}` : message;
}

function retryAfterMs(response: Response, cap: number): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, cap);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - Date.now()), cap);
}
