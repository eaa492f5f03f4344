import { SitrepError } from '../domain/errors.js';
import type { TriageOutcome, TriagePort, WindowQuery } from '../incidents/deps.js';
import { Baseline } from './baseline.js';
import { buildTree } from './tree.js';
import { analyseWindow } from './window.js';
import type { Span } from './span.js';
import type { TriageResult } from './verdict.js';
import { loadCatalog } from './catalog/load.js';
import type { OwnershipCatalog } from './catalog/catalog.js';
import { loadTraceSources, createTraceSource, type TraceSourceConfig } from './sources/config.js';
import type { TraceSource } from './sources/source.js';
import { formatSummary } from './summary.js';
import { evidencePicture, tracePicture } from './picture.js';
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
  /** Already loaded (start-up loads it once for triage and the card's runbooks); else read from the paths. */
  catalog?: OwnershipCatalog;
}

/** The service catalog from Backstage files and the ownership file, or undefined when none is configured. */
export async function loadServiceCatalog(settings: Pick<TriageSettings, 'catalogPaths' | 'ownershipFile'>): Promise<OwnershipCatalog | undefined> {
  if (!settings.catalogPaths.length && !settings.ownershipFile) return undefined;
  try {
    return await loadCatalog({ catalog: settings.catalogPaths, ownership: settings.ownershipFile ? [settings.ownershipFile] : [] });
  } catch (err) {
    throw new SitrepError('invalid_input', err instanceof Error ? err.message : String(err), { cause: err });
  }
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
  try {
    sources = await sourcesFrom(settings);
  } catch (err) {
    throw new SitrepError('invalid_input', err instanceof Error ? err.message : String(err), { cause: err });
  }
  const catalog = settings.catalog ?? (await loadServiceCatalog(settings));
  if (sources.length === 0) return undefined;

  const traceUrl = (traceId: string): string | undefined => {
    if (settings.uiUrl) return traceLink(settings.uiUrl, { traceId });
    for (const s of sources) {
      const url = s.traceUrl(traceId);
      if (url) return url;
    }
    return undefined;
  };

  const searchable = sources.filter((s) => s.searchTraces);
  // Each source has its own per-attempt timeout; the overall budget leaves room for one retry.
  const budget = Math.max(5000, settings.timeoutMs * 2.5);

  /** Traces of a service in a time range from the first searchable source that has any. */
  const search = async (service: string, startMs: number, endMs: number, signal: AbortSignal): Promise<{ traces: Span[][]; source: string } | { error: string }> => {
    const reasons: string[] = [];
    for (const source of searchable) {
      const got = await source.searchTraces!({ service, start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), limit: SEARCH_LIMIT }, { signal });
      if (got.status === 'found' && got.traces.length > 0) return { traces: got.traces, source: source.name };
      reasons.push(got.status === 'found' ? `${source.name}: no traces` : `${source.name}: ${got.reason}`);
    }
    return { error: reasons.join('; ') || 'no configured trace backend can search' };
  };

  const baselineFor = async (spans: Span[], signal: AbortSignal): Promise<Baseline | null> => {
    const entry = spans.find((s) => s.parentId === null) ?? spans[0]!;
    const before = entry.startUs / 1000 - BASELINE_GAP_MS;
    const found = await search(entry.service, before - BASELINE_MS, before, signal);
    if ('error' in found) return null;
    const baseline = new Baseline();
    for (const t of found.traces) baseline.add(buildTree(t));
    return baseline;
  };

  return {
    traceUrl,
    async run(traceId: string): Promise<TriageOutcome> {
      let read: readonly Span[] = [];
      const result = await triage({ traceId, sources, catalog, timeoutMs: budget, ...(searchable.length > 0 ? { baseline: baselineFor } : {}), onTrace: (spans) => (read = spans) });
      return outcomeOf(result, read);
    },
    ...(searchable.length > 0
      ? {
          async runWindow(query: WindowQuery): Promise<TriageOutcome> {
            const signal = AbortSignal.timeout(4 * budget);
            const since = Date.parse(query.since) - WINDOW_LEAD_MS;
            const incident = await search(query.service, since, Date.now(), signal);
            if ('error' in incident) {
              const unavailable = !/no traces/.test(incident.error) || searchable.length > 1;
              return { outcome: unavailable ? 'unavailable' : 'not_found', summary: `traces of ${query.service} since ${query.since}: ${incident.error}`, alternatives: [] };
            }
            const before = await search(query.service, since - BASELINE_MS, since, signal);
            const verdict = analyseWindow(incident.traces, 'error' in before ? [] : before.traces, { catalog: catalog ?? null, source: incident.source });
            verdict.link = traceUrl(verdict.traceId) ?? null;
            // The picture shows the example trace the verdict names, under the ranked suspects.
            return outcomeOf(verdict, incident.traces.find((t) => t[0]?.traceId === verdict.traceId) ?? []);
          },
        }
      : {}),
  };
}

// Window mode reads up to this many traces of each period; the baseline is the hour before the
// incident started (less a few minutes: faults usually begin before the alert fires).
const SEARCH_LIMIT = 500;
const BASELINE_MS = 60 * 60_000;
const WINDOW_LEAD_MS = 5 * 60_000;
const BASELINE_GAP_MS = 60_000;

function outcomeOf(result: TriageResult, spans: readonly Span[]): TriageOutcome {
  const summary = formatSummary(result);
  if (result.status !== 'found') return { outcome: result.status === 'not_found' ? 'not_found' : 'unavailable', summary, alternatives: [] };
  const team = result.owner?.team ?? result.suggestedOwner?.team;
  const ranked = result.origin
    ? [
        { team, service: result.origin.service, confidence: result.confidence },
        ...result.alternatives.map((a) => ({ team: a.owner?.team, service: a.origin.service, confidence: a.confidence })),
      ]
    : [];
  const picture = spans.length > 0 ? tracePicture(spans, result) : evidencePicture(result);
  return { outcome: 'ok', summary, team, service: result.origin?.service, alternatives: ranked, path: result.path.map((hop) => hop.service), traceId: result.traceId, verdict: result, picture };
}
