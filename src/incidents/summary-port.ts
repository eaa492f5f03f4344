import type { Incident } from '../domain/incident.js';
import type { IncidentSummary } from '../domain/incident-summary.js';
import type { TimelineEvent, TimelineEventType } from '../domain/timeline.js';

/** Where incident summaries live (Redis in `src/store/incident-summaries.ts`). */
export interface SummaryStore {
  /** Writes the summary unless one made from a longer timeline is already there. */
  put(summary: IncidentSummary): Promise<boolean>;
  /** Takes the incident out of insights (reopened), unless a longer timeline was summarised since. */
  remove(incidentId: string, events: number): Promise<boolean>;
  /** Summaries declared in [from, to), narrowed by the index of a team or a service when given. */
  find(range: { from: Date; to: Date; team?: string; service?: string }): Promise<IncidentSummary[]>;
}

/** The incident record and its timeline, read at one instant. */
export interface SummaryInput {
  incident?: Incident;
  /** The events of the asked types, in write order. */
  events: TimelineEvent[];
  /** The length of the whole timeline (it orders concurrent writes of the same summary). */
  length: number;
}

/** What a summary is computed from: the incident record and the timeline events the measures read. */
export interface SummarySource {
  read(id: string, types: ReadonlySet<TimelineEventType>): Promise<SummaryInput>;
}
