// Inbound PagerDuty v3 webhooks: check the signature, then reduce the event to what the incident timeline
// needs (which incident, what happened, who did it). Signature: X-PagerDuty-Signature holds one or more
// comma-separated `v1=<hex HMAC-SHA256 of the raw body>`, several while PagerDuty rotates the secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { OncallConfig } from '../config.js';
import { PagingError } from '../errors.js';
import { incidentIdFromDedupKey } from './pagerduty.js';

const ReferenceSchema = z.object({
  id: z.string(),
  type: z.string().optional(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
});

// Only the fields we use; PagerDuty adds fields over time and we must not reject those.
const IncidentDataSchema = z.object({
  id: z.string(),
  type: z.literal('incident'),
  number: z.number().optional(),
  title: z.string().optional(),
  status: z.string().optional(),
  html_url: z.string().optional(),
  incident_key: z.string().nullish(),
});
// Notes, responder requests and status updates point at their incident instead of being one.
const IncidentChildDataSchema = z.object({
  type: z.string(),
  incident: ReferenceSchema,
  content: z.string().optional(),
  message: z.string().optional(),
});

export const PagerDutyWebhookSchema = z.object({
  event: z.object({
    id: z.string(),
    event_type: z.string(),
    resource_type: z.string(),
    occurred_at: z.string(),
    agent: ReferenceSchema.extend({ email: z.string().optional() }).nullish(),
    data: z.unknown(),
  }),
});

export const INCIDENT_EVENT_TYPES = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.resolved',
  'incident.reopened',
  'incident.escalated',
  'incident.reassigned',
  'incident.delegated',
  'incident.priority_updated',
  'incident.annotated',
  'incident.responder.added',
  'incident.responder.replied',
  'incident.status_update_published',
] as const;
export type PagerDutyIncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

export type PagerDutyIncidentEvent = {
  kind: 'incident';
  eventId: string;
  eventType: PagerDutyIncidentEventType;
  occurredAt: Date;
  incident: {
    pagerdutyId: string;
    number?: number;
    title?: string;
    url?: string;
    /** Our `sitrep-<id>` key for alerts sitrep raised; absent on notes and other child events. */
    dedupKey?: string;
  };
  /** The sitrep incident this is about, when the alert was raised by sitrep. */
  incidentId?: string;
  /** Who acted: a PagerDuty user (mapped to our user id via `users.<id>.pagerduty`) or an integration. */
  actor?: { pagerdutyId: string; name?: string; url?: string; email?: string; userId?: string; type?: string };
  /** Note text or responder message, for events that carry one. */
  text?: string;
};

export type PagerDutyWebhookResult = PagerDutyIncidentEvent | { kind: 'ignored'; eventType: string; reason: string };

/** True if one of the signatures in the header is the HMAC of `rawBody` under one of our secrets. */
export function verifyPagerDutySignature(
  rawBody: string | Uint8Array,
  header: string | undefined,
  secrets: string | readonly string[],
): boolean {
  if (!header) return false;
  const offered = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => Buffer.from(part.slice(3), 'hex'));
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const expected = (typeof secrets === 'string' ? [secrets] : secrets)
    .filter((secret) => secret.length > 0)
    .map((secret) => createHmac('sha256', secret).update(body).digest());
  // Compare every pair rather than stopping early, so timing says nothing about which part matched.
  let match = false;
  for (const candidate of offered) {
    for (const digest of expected) {
      if (candidate.length === digest.length && timingSafeEqual(candidate, digest)) match = true;
    }
  }
  return match;
}

export type PagerDutyWebhookInput = {
  /** The body exactly as received; re-serialised JSON will not match the signature. */
  rawBody: string | Uint8Array;
  /** The X-PagerDuty-Signature header. */
  signature: string | undefined;
  /** The subscription's signing secret; pass old and new while rotating. */
  secrets: string | readonly string[];
  /** Lets the actor be mapped to a sitrep user through `users.<id>.pagerduty`. */
  config?: OncallConfig;
};

/** Verifies and reads one delivery. Throws PagingError WEBHOOK_UNSIGNED / WEBHOOK_FORGED (401) or WEBHOOK_MALFORMED (400). */
export function readPagerDutyWebhook(input: PagerDutyWebhookInput): PagerDutyWebhookResult {
  if (!input.signature || !/v1=/.test(input.signature)) {
    throw new PagingError(
      'WEBHOOK_UNSIGNED',
      'PagerDuty webhook without an X-PagerDuty-Signature v1 signature; only signed v3 webhook subscriptions are accepted.',
    );
  }
  if (!verifyPagerDutySignature(input.rawBody, input.signature, input.secrets)) {
    throw new PagingError(
      'WEBHOOK_FORGED',
      'PagerDuty webhook signature does not match; check that the webhook secret configured in sitrep is the one PagerDuty showed for this subscription.',
    );
  }
  const text = typeof input.rawBody === 'string' ? input.rawBody : Buffer.from(input.rawBody).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PagingError('WEBHOOK_MALFORMED', 'PagerDuty webhook body is not JSON.', { cause: err });
  }
  const parsed = PagerDutyWebhookSchema.safeParse(json);
  if (!parsed.success) {
    throw new PagingError('WEBHOOK_MALFORMED', `PagerDuty webhook is not a v3 event: ${z.prettifyError(parsed.error)}`);
  }
  return toResult(parsed.data.event, input.config);
}

type WebhookEvent = z.infer<typeof PagerDutyWebhookSchema>['event'];

function toResult(event: WebhookEvent, config: OncallConfig | undefined): PagerDutyWebhookResult {
  const eventType = event.event_type;
  if (!isIncidentEventType(eventType)) {
    return { kind: 'ignored', eventType, reason: 'not an incident event sitrep tracks' };
  }
  const occurredAt = new Date(event.occurred_at);
  if (Number.isNaN(occurredAt.getTime())) {
    throw new PagingError('WEBHOOK_MALFORMED', `PagerDuty webhook has an unreadable occurred_at "${event.occurred_at}".`);
  }
  const about = incidentOf(event.data);
  if (!about) {
    throw new PagingError('WEBHOOK_MALFORMED', `PagerDuty ${eventType} webhook does not name its incident (event.data).`);
  }
  const result: PagerDutyIncidentEvent = { kind: 'incident', eventId: event.id, eventType, occurredAt, ...about };

  const agent = event.agent;
  if (agent) {
    const userId = config ? userIdForPagerDuty(config, agent.id) : undefined;
    result.actor = {
      pagerdutyId: agent.id,
      ...(agent.summary ? { name: agent.summary } : {}),
      ...(agent.html_url ? { url: agent.html_url } : {}),
      ...(agent.email ? { email: agent.email } : {}),
      ...(agent.type ? { type: agent.type } : {}),
      ...(userId ? { userId } : {}),
    };
  }
  return result;
}

type IncidentPart = Pick<PagerDutyIncidentEvent, 'incident' | 'incidentId' | 'text'>;

function incidentOf(data: unknown): IncidentPart | undefined {
  const incident = IncidentDataSchema.safeParse(data);
  if (incident.success) {
    const d = incident.data;
    const incidentId = d.incident_key ? incidentIdFromDedupKey(d.incident_key) : undefined;
    return {
      incident: {
        pagerdutyId: d.id,
        ...(d.number === undefined ? {} : { number: d.number }),
        ...(d.title === undefined ? {} : { title: d.title }),
        ...(d.html_url === undefined ? {} : { url: d.html_url }),
        ...(d.incident_key ? { dedupKey: d.incident_key } : {}),
      },
      ...(incidentId ? { incidentId } : {}),
    };
  }
  const child = IncidentChildDataSchema.safeParse(data);
  if (!child.success) return undefined;
  const d = child.data;
  const words = d.content ?? d.message;
  return {
    incident: {
      pagerdutyId: d.incident.id,
      ...(d.incident.summary ? { title: d.incident.summary } : {}),
      ...(d.incident.html_url ? { url: d.incident.html_url } : {}),
    },
    ...(words === undefined ? {} : { text: words }),
  };
}

function isIncidentEventType(type: string): type is PagerDutyIncidentEventType {
  return (INCIDENT_EVENT_TYPES as readonly string[]).includes(type);
}

/** The oncall.yaml user whose `pagerduty:` id is `pagerdutyId`. */
export function userIdForPagerDuty(config: OncallConfig, pagerdutyId: string): string | undefined {
  return Object.entries(config.users).find(([, user]) => user.pagerduty === pagerdutyId)?.[0];
}
