import { SitrepError } from '../domain/errors.js';
import type { TriageOutcome, TriagePort } from '../incidents/deps.js';
import { loadCatalog } from './catalog/load.js';
import type { OwnershipCatalog } from './catalog/catalog.js';
import { loadTraceSources, createTraceSource, type TraceSourceConfig } from './sources/config.js';
import type { TraceSource } from './sources/source.js';
import { formatSummary } from './summary.js';
import { traceLink } from './link.js';
import { triage } from './triage.js';

export interface TriageSettings {
  sourcesFile?: string;
  jaegerUrl?: string;
  tempoUrl?: string;
  zipkinUrl?: string;
  timeoutMs: number;
  uiUrl?: string;
  catalogPaths: string[];
  ownershipFile?: string;
}

/** Trace sources from the sources file plus the one-backend shortcuts (JAEGER_URL, TEMPO_URL, ZIPKIN_URL). */
async function sourcesFrom(settings: TriageSettings): Promise<TraceSource[]> {
  const configs: TraceSourceConfig[] = settings.sourcesFile ? await loadTraceSources(settings.sourcesFile) : [];
  const shortcut = (name: string, kind: TraceSourceConfig['kind'], url?: string) => {
    if (url) configs.push({ name, kind, url, timeoutMs: settings.timeoutMs, retries: 2 });
  };
  shortcut('jaeger', 'jaeger', settings.jaegerUrl);
  shortcut('tempo', 'tempo', settings.tempoUrl);
  shortcut('zipkin', 'zipkin', settings.zipkinUrl);
  return configs.map(createTraceSource);
}

/**
 * The triage port the use cases call. Built at start-up so a broken sources file or catalog stops
 * start-up with the file and line, instead of failing during an incident.
 */
export async function createTriagePort(settings: TriageSettings): Promise<TriagePort | undefined> {
  let sources: TraceSource[];
  let catalog: OwnershipCatalog | undefined;
  try {
    sources = await sourcesFrom(settings);
    if (settings.catalogPaths.length || settings.ownershipFile) {
      catalog = await loadCatalog({ catalog: settings.catalogPaths, ownership: settings.ownershipFile ? [settings.ownershipFile] : [] });
    }
  } catch (err) {
    throw new SitrepError('invalid_input', err instanceof Error ? err.message : String(err), { cause: err });
  }
  if (sources.length === 0) return undefined;

  const traceUrl = (traceId: string): string | undefined => {
    if (settings.uiUrl) return traceLink(settings.uiUrl, { traceId });
    for (const s of sources) {
      const url = s.traceUrl(traceId);
      if (url) return url;
    }
    return undefined;
  };

  return {
    traceUrl,
    async run(traceId: string): Promise<TriageOutcome> {
      // Each source has its own per-attempt timeout; the overall budget leaves room for one retry.
      const result = await triage({ traceId, sources, catalog, timeoutMs: Math.max(5000, settings.timeoutMs * 2.5) });
      const summary = formatSummary(result);
      if (result.status !== 'found') return { outcome: result.status === 'not_found' ? 'not_found' : 'unavailable', summary, alternatives: [] };
      const team = result.owner?.team ?? result.suggestedOwner?.team;
      const ranked = result.origin
        ? [
            { team, service: result.origin.service, confidence: result.confidence },
            ...result.alternatives.map((a) => ({ team: a.owner?.team, service: a.origin.service, confidence: a.confidence })),
          ]
        : [];
      return { outcome: 'ok', summary, team, service: result.origin?.service, alternatives: ranked, path: result.path.map((hop) => hop.service), verdict: result };
    },
  };
}
