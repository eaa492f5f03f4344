import type { Incident, Platform } from '../domain/incident.js';
import type { IncidentPage, IncidentQuery } from '../domain/incident-row.js';
import type { Status } from '../domain/status.js';
import type { MessageRef, NewTimelineEvent, TimelineEvent } from '../domain/timeline.js';

/**
 * What a use case proposes for an incident: the new state and the events that record it.
 * Returning `null` means "nothing to do" — the way a double click or a retry becomes a no-op.
 */
export type Change = { incident: Incident; events: NewTimelineEvent[] } | null;

export interface CommitResult {
  incident: Incident;
  /** Events written by this call; empty when the change had already been made (duplicate key). */
  appended: TimelineEvent[];
  /** False when the change function returned null or an event key had been recorded before. */
  changed: boolean;
}

/** Events appended and the incident's status as they were written. */
export interface AppendResult {
  /** Events written by this call (an event whose key was already used is skipped). */
  appended: TimelineEvent[];
  /** Undefined when there is no such incident (nothing was written). */
  status: Status | undefined;
}

/** Incidents and their timelines. Implemented on Redis in `src/store/`. */
export interface IncidentStore {
  /** The next human incident number (never reused). */
  nextNumber(): Promise<number>;
  /** Stores a new incident with its first events; fails with `conflict` if the id exists. */
  create(incident: Incident, events: NewTimelineEvent[]): Promise<CommitResult>;
  get(id: string): Promise<Incident | undefined>;
  getByNumber(number: number): Promise<Incident | undefined>;
  /** Just the status (cheap: no incident to read and parse), for hot paths such as alert storms. */
  statusOf(id: string): Promise<Status | undefined>;
  /** Reads, applies `change`, writes if nobody else wrote in between (retrying on conflict). */
  update(id: string, change: (current: Incident) => Change | Promise<Change>): Promise<CommitResult>;
  /** Appends events; an event whose key was already used is skipped. Fails with `not_found` for an unknown incident. */
  append(id: string, events: NewTimelineEvent[]): Promise<TimelineEvent[]>;
  /**
   * Appends events and tells the incident's status, in one step (an alert storm's hot path). With
   * `whileOpen`, nothing is written to a resolved or closed incident.
   */
  appendAndStatus(id: string, events: NewTimelineEvent[], options?: { whileOpen?: boolean }): Promise<AppendResult>;
  timeline(id: string, options?: { limit?: number }): Promise<TimelineEvent[]>;
  listOpen(): Promise<Incident[]>;
  /** Every incident, open ones first, filtered and paged (the console's list). */
  list(query: IncidentQuery): Promise<IncidentPage>;

  bindRoom(platform: Platform, roomId: string, incidentId: string): Promise<void>;
  findByRoom(platform: Platform, roomId: string): Promise<Incident | undefined>;
  bindMessage(ref: MessageRef, incidentId: string): Promise<void>;
  findByMessage(ref: MessageRef): Promise<string | undefined>;
  bindFingerprint(fingerprint: string, incidentId: string): Promise<void>;
  findByFingerprint(fingerprint: string): Promise<string | undefined>;
}

/** Where a live view has read a timeline up to (a Redis stream id). */
export type TimelineCursor = string;

/** New timeline entries as they are written, by any replica (the console's live timeline). */
export interface TimelineFeed {
  /** The position after the newest entry. */
  cursor(incidentId: string): Promise<TimelineCursor>;
  /** Entries after `after`, as they come, until `signal` aborts. */
  follow(incidentId: string, after: TimelineCursor, signal: AbortSignal): AsyncIterable<{ cursor: TimelineCursor; event: TimelineEvent }>;
}
