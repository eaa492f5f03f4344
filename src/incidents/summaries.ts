import { endsResolved, isSummarised, summarizeIncident, SUMMARY_EVENT_TYPES } from '../domain/incident-summary.js';
import type { Logger } from '../log.js';
import type { IncidentStore } from './store-port.js';
import type { SummarySource, SummaryStore } from './summary-port.js';

/**
 * Keeps the insights summary of an incident in step with its timeline: written when it is resolved or
 * closed, rewritten on any later event (a late edit, an action item, a hand-off after resolve), removed
 * when it is reopened. Every write path goes through the incident store, so wrapping the store catches
 * them all without each use case having to remember.
 */
export function withSummaries(store: IncidentStore, source: SummarySource, summaries: SummaryStore, logger: Logger): IncidentStore {
  const refresh = async (incidentId: string) => {
    try {
      await refreshSummary(source, summaries, incidentId);
    } catch (err) {
      // The incident change itself is committed; a missed summary is repaired by `sitrep reindex`.
      logger.error({ err, incidentId }, 'could not update the insights summary; run `sitrep reindex` to rebuild it');
    }
  };
  const appendAndStatus: IncidentStore['appendAndStatus'] = async (...args) => {
    const result = await store.appendAndStatus(...args);
    // Events added to an open incident change nothing yet: it is summarised when resolved.
    if (result.appended.length && result.status && isSummarised(result.status)) await refresh(args[0]);
    return result;
  };
  return Object.assign(Object.create(store) as IncidentStore, {
    async update(...args: Parameters<IncidentStore['update']>) {
      const result = await store.update(...args);
      if (result.changed && (isSummarised(result.incident.status) || result.appended.some((e) => e.type === 'reopened'))) await refresh(result.incident.id);
      return result;
    },
    appendAndStatus,
    async append(...args: Parameters<IncidentStore['append']>) {
      return (await appendAndStatus(...args)).appended;
    },
  } satisfies Partial<IncidentStore>);
}

/** What refreshing one summary did: written, taken out (the incident is open), stale (a newer one won), or no such incident. */
export type RefreshOutcome = 'written' | 'open' | 'stale' | 'missing';

/** Summarises one incident from its timeline as stored now (what `sitrep reindex` does for each). */
export async function refreshSummary(source: SummarySource, summaries: SummaryStore, incidentId: string): Promise<RefreshOutcome> {
  const { incident, events, length } = await source.read(incidentId, SUMMARY_EVENT_TYPES);
  if (!incident) return 'missing';
  if (!endsResolved(events)) return (await summaries.remove(incidentId, length)) ? 'open' : 'stale';
  return (await summaries.put(summarizeIncident(incident, events, length))) ? 'written' : 'stale';
}
