import type { IncidentSummary } from '../domain/incident-summary.js';

/** Where incident summaries live (Redis in `src/store/incident-summaries.ts`). */
export interface SummaryStore {
  /** Writes the summary unless one made from a longer timeline is already there. */
  put(summary: IncidentSummary): Promise<boolean>;
  /** Takes the incident out of insights (reopened), unless a longer timeline was summarised since. */
  remove(incidentId: string, events: number): Promise<boolean>;
  /** Summaries declared in [from, to), narrowed by the index of a team or a service when given. */
  find(range: { from: Date; to: Date; team?: string; service?: string }): Promise<IncidentSummary[]>;
}
