import type { Incident, Link, Runbook } from '../domain/incident.js';

/** Runbook links per service, from the service catalog (Backstage, ownership.yaml); `src/triage/catalog`. */
export interface RunbookCatalog {
  runbooksOf(service: string): Link[];
}

/**
 * The runbooks the card shows: the suggested origin's first, then each affected service's, each URL
 * once and none already among the incident's links (an alert's `runbook_url`).
 */
export function runbooksFor(catalog: RunbookCatalog, incident: Pick<Incident, 'affectedServices' | 'triage' | 'links'>): Runbook[] {
  const origin = incident.triage?.outcome === 'ok' ? incident.triage.origin : undefined;
  const services = [...new Set([...(origin ? [origin] : []), ...incident.affectedServices])];
  const seen = new Set(incident.links.map((l) => l.url));
  const out: Runbook[] = [];
  for (const service of services) {
    for (const link of catalog.runbooksOf(service)) {
      if (seen.has(link.url)) continue;
      seen.add(link.url);
      out.push({ service, ...link });
    }
  }
  return out;
}

/** The incident with its runbooks brought up to date; unchanged when no catalog is configured. */
export function withRunbooks(catalog: RunbookCatalog | undefined, incident: Incident): Incident {
  if (!catalog) return incident;
  const runbooks = runbooksFor(catalog, incident);
  if (runbooks.length === 0 && !incident.runbooks) return incident;
  return { ...incident, runbooks };
}
