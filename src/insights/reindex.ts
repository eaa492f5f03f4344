import { incidentIdFor } from '../domain/incident.js';
import { refreshSummary, type RefreshOutcome } from '../incidents/summaries.js';
import type { SummarySource, SummaryStore } from '../incidents/summary-port.js';

export type ReindexResult = Record<RefreshOutcome, number> & { failed: Array<{ incidentId: string; error: string }> };

/**
 * Rebuilds the summary of every incident numbered first..last (default 1..last) from its timeline: for
 * incidents resolved before summaries existed, and after a formula changes. Safe while the bot runs (a
 * newer summary from a live event is never overwritten by an older read). Each incident is one read
 * and one write; many incidents in flight at once let the client pipeline them into few round trips,
 * without holding thousands of timelines in memory.
 */
export async function reindex(
  source: SummarySource,
  summaries: SummaryStore,
  last: number,
  options: { first?: number; concurrency?: number; onProgress?: (done: number) => void } = {},
): Promise<ReindexResult> {
  const result: ReindexResult = { written: 0, open: 0, stale: 0, missing: 0, failed: [] };
  let next = options.first ?? 1;
  let done = 0;
  const worker = async () => {
    while (next <= last) {
      const id = incidentIdFor(next++);
      try {
        result[await refreshSummary(source, summaries, id)]++;
      } catch (err) {
        result.failed.push({ incidentId: id, error: err instanceof Error ? err.message : String(err) });
      }
      if (++done % 1000 === 0) options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? DEFAULT_CONCURRENCY }, worker));
  return result;
}

/** Incidents in flight at once: enough to fill a pipeline, few enough to keep memory small. */
export const DEFAULT_CONCURRENCY = 32;
