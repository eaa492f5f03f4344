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

/** What a summary is computed from: the incident record and the timeline events the measures read. */
export interface SummarySource {
  get(id: string): Promise<Incident | undefined>;
  /** The events of these types in write order, and the length of the whole timeline. */
  timelineOf(id: string, types: ReadonlySet<TimelineEventType>): Promise<{ events: TimelineEvent[]; length: number }>;
}
