import { z } from 'zod';
import { Actor } from './actor.js';
import { Role, Platform } from './incident.js';
import { Mention } from './mention.js';
import { plainCheck } from './plain-check.js';
import { Severity } from './severity.js';
import { Status } from './status.js';

/** A chat message a timeline entry points at; edits and deletions are matched on this. */
export const MessageRef = z.object({ platform: Platform, channel: z.string(), ts: z.string() });
export type MessageRef = z.infer<typeof MessageRef>;

export const FileRef = z.object({ name: z.string(), url: z.string().optional() });

const PagedTarget = z.object({ team: z.string().optional(), users: z.array(Actor) });

const base = {
  /** Unique id of the event (also the Redis stream entry id once stored). */
  id: z.string(),
  incidentId: z.string(),
  at: z.string(),
  actor: Actor,
  /**
   * Idempotency key: the same key is recorded once, however many times a platform retries a delivery
   * or a person double-clicks.
   */
  key: z.string().min(1),
};

export const TimelineEvent = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('declared'), title: z.string(), severity: Severity, source: z.string() }),
  z.object({ ...base, type: z.literal('status_changed'), from: Status, to: Status, message: z.string().optional() }),
  z.object({ ...base, type: z.literal('severity_changed'), from: Severity, to: Severity }),
  z.object({ ...base, type: z.literal('role_assigned'), role: Role, assignee: Actor, previous: Actor.optional() }),
  z.object({ ...base, type: z.literal('note'), text: z.string(), mentions: z.array(Mention).optional() }),
  z.object({
    ...base,
    type: z.literal('message_captured'),
    message: MessageRef,
    author: Actor,
    text: z.string(),
    mentions: z.array(Mention).optional(),
    permalink: z.string().optional(),
    files: z.array(FileRef),
    via: z.enum(['shortcut', 'reaction', 'pin', 'message_extension']),
  }),
  z.object({ ...base, type: z.literal('message_edited'), message: MessageRef, text: z.string(), previousText: z.string() }),
  z.object({ ...base, type: z.literal('message_deleted'), message: MessageRef, previousText: z.string() }),
  z.object({
    ...base,
    type: z.literal('alert_fired'),
    fingerprint: z.string(),
    source: z.string(),
    title: z.string(),
    count: z.number().int().positive(),
    service: z.string().optional(),
    url: z.string().optional(),
  }),
  z.object({ ...base, type: z.literal('alert_resolved'), fingerprint: z.string(), source: z.string(), title: z.string() }),
  z.object({
    ...base,
    type: z.literal('triage_suggested'),
    traceId: z.string(),
    outcome: z.enum(['ok', 'unavailable', 'not_found']),
    summary: z.string(),
    team: z.string().optional(),
    /** The verdict as triage returned it (origin, path, confidence, reasons, alternatives). */
    verdict: z.unknown().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('owner_changed'),
    fromTeam: z.string().optional(),
    toTeam: z.string(),
    reason: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('paged'),
    pageId: z.string(),
    target: PagedTarget,
    level: z.number().int().nonnegative(),
    provider: z.string(),
    message: z.string().optional(),
  }),
  /** A queued page that never went out (acknowledged, called off or resolved before it could be delivered). */
  z.object({ ...base, type: z.literal('page_skipped'), pageId: z.string(), level: z.number().int().nonnegative(), target: PagedTarget, reason: z.string() }),
  z.object({ ...base, type: z.literal('acknowledged'), pageId: z.string().optional(), team: z.string().optional() }),
  z.object({ ...base, type: z.literal('declined'), pageId: z.string() }),
  z.object({
    ...base,
    type: z.literal('escalated'),
    pageId: z.string(),
    fromLevel: z.number().int().nonnegative(),
    toLevel: z.number().int().nonnegative().optional(),
    reason: z.enum(['timeout', 'declined']),
    /** True when every level and repeat was tried and nobody answered. */
    exhausted: z.boolean(),
  }),
  z.object({
    ...base,
    type: z.literal('action_item_added'),
    actionId: z.string(),
    text: z.string(),
    mentions: z.array(Mention).optional(),
    owner: Actor.optional(),
  }),
  z.object({ ...base, type: z.literal('status_update'), text: z.string(), mentions: z.array(Mention).optional() }),
  /** Nobody posted a status update for the severity's interval: the comms lead (or the lead) was reminded. */
  z.object({ ...base, type: z.literal('status_update_reminded'), dueAt: z.string(), remindedUser: Actor.optional() }),
  z.object({ ...base, type: z.literal('checklist_ticked'), itemId: z.string(), text: z.string() }),
  z.object({ ...base, type: z.literal('resolved'), summary: z.string().optional() }),
  z.object({ ...base, type: z.literal('closed') }),
  /** A room that did not open at declaration (chat down, a console declaration) opened later. */
  z.object({ ...base, type: z.literal('room_opened'), platform: Platform, name: z.string().optional(), url: z.string().optional(), tries: z.number().int().positive() }),
  z.object({ ...base, type: z.literal('reopened'), reason: z.string().optional() }),
  z.object({
    ...base,
    type: z.literal('postmortem_exported'),
    format: z.string(),
    url: z.string().optional(),
    error: z.string().optional(),
  }),
]);
export type TimelineEvent = z.infer<typeof TimelineEvent>;

const isPlainEvent = plainCheck(TimelineEvent);

/**
 * A stored event, validated. A postmortem reads a whole timeline (thousands of events), where a schema
 * parse of each costs as much as reading them: plain checks derived from the schema pass a well-formed
 * event as it is, and anything else goes through the schema (which strips, or throws its usual error).
 */
export function parseTimelineEvent(raw: unknown): TimelineEvent {
  return isPlainEvent(raw) ? (raw as TimelineEvent) : TimelineEvent.parse(raw);
}
export type TimelineEventType = TimelineEvent['type'];

/** An event as a use case proposes it: the store assigns id, incidentId and (by default) the time. */
export type NewTimelineEvent = DistributiveOmit<TimelineEvent, 'id' | 'incidentId' | 'at'> & { at?: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type EventOf<T extends TimelineEventType> = Extract<TimelineEvent, { type: T }>;
