import type { IncidentSummary } from '../domain/incident-summary.js';
import { declaredMs } from '../domain/insights.js';
import type { SummaryStore } from '../incidents/summary-port.js';
import { buildReport, matching, type InsightsQuery, type InsightsReport } from './report.js';

/** Reports across incidents, read from the stored summaries (never from timelines). */
export class Insights {
  constructor(private readonly summaries: SummaryStore) {}

  /** The summaries a query selects, newest first. */
  async incidents(query: InsightsQuery): Promise<IncidentSummary[]> {
    const found = matching(await this.summaries.find(query), query);
    return found.sort((a, b) => declaredMs(b) - declaredMs(a));
  }

  async report(query: InsightsQuery): Promise<InsightsReport> {
    return buildReport(matching(await this.summaries.find(query), query), query);
  }
}
