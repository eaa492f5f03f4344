import type { OwnershipCatalog, Owner } from './catalog/catalog.js';
import { formatMillis } from './duration.js';
import { findOrigin, type Focus, type OriginCandidate } from './origin.js';
import { pathHops } from './path.js';
import type { Span } from './span.js';
import type { FetchOutcome, TraceSource } from './sources/source.js';
import { buildTree, type SpanTree } from './tree.js';
import { traceLink } from './link.js';
import { confidenceLevel, type Alternative, type Origin, type PathHop, type RankedService, type TriageResult, type TriageVerdict } from './verdict.js';
import type { Baseline } from './baseline.js';

export interface AnalyseOptions {
  traceId?: string;
  catalog?: OwnershipCatalog | null;
  focus?: Focus;
  /** Name of the source the spans came from. */
  source?: string | null;
  link?: string | null;
  /** Traces from before the incident to compare with. */
  baseline?: Baseline;
}

export function toOrigin(tree: SpanTree, c: OriginCandidate): Origin {
  return {
    kind: c.kind,
    service: c.service,
    spanId: tree.spans[c.span]!.spanId,
    operation: c.operation,
    message: c.message,
    inferredFrom: c.inferredFrom,
    handled: c.handled,
    async: c.async,
  };
}

interface Ownership {
  owner: Owner | null;
  ownerNote: string | null;
  suggestedOwner: TriageVerdict['suggestedOwner'];
}

/** The origin's owner or, failing that, the owner of the nearest known service before it on the path. */
export function ownership(catalog: OwnershipCatalog | null | undefined, service: string, path: PathHop[]): Ownership {
  if (!catalog) return { owner: null, ownerNote: 'no service catalog configured: pass --catalog or --ownership', suggestedOwner: null };
  const owner = catalog.ownerOf(service);
  if (owner) return { owner, ownerNote: null, suggestedOwner: null };
  for (let i = path.length - 1; i >= 0; i--) {
    const hop = path[i]!;
    if (hop.service === service) continue;
    const near = catalog.ownerOf(hop.service);
    if (near) {
      return {
        owner: null,
        ownerNote: `no owner known for ${service}; suggesting ${near.team}, owner of ${hop.service}, the nearest known service before it on the path`,
        suggestedOwner: { ...near, viaService: hop.service },
      };
    }
  }
  return { owner: null, ownerNote: `no owner known for ${service}, nor for any service before it on the path`, suggestedOwner: null };
}

/** Pure analysis of spans already in hand (a file, an upload, a fetched trace). */
export function analyseTrace(spans: readonly Span[], options: AnalyseOptions = {}): TriageVerdict {
  const tree = buildTree(spans);
  const analysis = findOrigin(tree, { ...(options.focus ? { focus: options.focus } : {}), ...(options.baseline ? { baseline: options.baseline } : {}) });
  const traceId = options.traceId ?? tree.spans[0]?.traceId ?? '';
  const primary = analysis.primary;
  const path = primary ? pathHops(tree, primary) : [];
  const owned = primary ? ownership(options.catalog, primary.service, path) : { owner: null, ownerNote: null, suggestedOwner: null };
  const alternatives: Alternative[] = analysis.alternatives.map((c) => ({
    origin: toOrigin(tree, c),
    owner: options.catalog?.ownerOf(c.service) ?? null,
    path: pathHops(tree, c),
    confidence: c.confidence,
    reasons: c.reasons,
  }));
  const confidence = primary?.confidence ?? 0;
  return {
    status: 'found',
    traceId,
    source: options.source ?? null,
    link: options.link ?? null,
    origin: primary ? toOrigin(tree, primary) : null,
    ...owned,
    path,
    confidence,
    confidenceLevel: confidenceLevel(confidence),
    reasons: primary ? primary.reasons : ['no span failed and nothing stands out on the critical path'],
    alternatives,
    ranked: rankCandidates(primary ? [primary, ...analysis.alternatives] : analysis.alternatives, primary !== null),
    ...(options.baseline ? { baselineTraces: options.baseline.traces } : {}),
    stats: {
      spans: tree.stats.spans,
      services: tree.serviceNames.length,
      roots: tree.roots.length,
      orphans: tree.stats.orphans,
      duplicatesDropped: tree.stats.duplicatesDropped,
      skewCorrected: tree.stats.skewCorrected,
    },
  };
}

/**
 * One entry per service with its best candidate's confidence as the score; the origin's service
 * first (the verdict's reasoning may rank a handled error above a slightly more confident guess).
 */
export function rankCandidates(candidates: readonly OriginCandidate[], primaryFirst: boolean): RankedService[] {
  const by = new Map<string, RankedService>();
  for (const c of candidates) {
    const have = by.get(c.service);
    if (!have) by.set(c.service, { service: c.service, score: c.confidence, kind: c.kind, evidence: [...c.reasons] });
    else if (c.confidence > have.score) by.set(c.service, { ...have, score: c.confidence });
  }
  const ranked = [...by.values()];
  const head = primaryFirst ? ranked.shift() : undefined;
  ranked.sort((a, b) => b.score - a.score);
  if (head) {
    head.score = Math.max(head.score, ranked[0]?.score ?? 0);
    ranked.unshift(head);
  }
  return ranked;
}

export interface TriageOptions {
  traceId: string;
  /** Tried in parallel; the first that has the trace wins. */
  sources: readonly TraceSource[];
  catalog?: OwnershipCatalog | null;
  /** Overall budget for fetching, default 5 s; each source also has its own per-attempt timeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
  focus?: Focus;
  /** Deep-link template used when the source that found the trace has no UI link of its own. */
  linkTemplate?: string;
  /**
   * Traces to compare with, fetched once the trace is in hand (its entry service and start are
   * known). Null when there are none; a failure only means the verdict is made without them.
   */
  baseline?: (spans: Span[], signal: AbortSignal) => Promise<Baseline | null>;
  /** Handed the trace once it is read, for the trace picture (the verdict alone has no spans to draw). */
  onTrace?: (spans: readonly Span[]) => void;
}

export const DEFAULT_TRIAGE_TIMEOUT_MS = 5000;

type Attempt = { source: string; outcome: FetchOutcome };

/**
 * Fetches the trace from the configured sources and analyses it. Never throws for backend
 * trouble: the answer is a verdict, `not_found`, or `unavailable` with a reason for the chat.
 */
export async function triage(options: TriageOptions): Promise<TriageResult> {
  const { traceId, sources } = options;
  if (sources.length === 0) {
    return { status: 'unavailable', traceId, reason: 'trace unavailable (no trace source configured)', attempts: [] };
  }
  const budget = options.timeoutMs ?? DEFAULT_TRIAGE_TIMEOUT_MS;
  const stop = new AbortController();
  const deadline = AbortSignal.timeout(budget);
  const signal = AbortSignal.any([stop.signal, deadline, ...(options.signal ? [options.signal] : [])]);

  const attempts: Attempt[] = [];
  const found = await new Promise<{ source: TraceSource; spans: Span[] } | null>((resolve) => {
    let pending = sources.length;
    const onAbort = (): void => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    for (const source of sources) {
      source
        .fetchTrace(traceId, { signal })
        .catch((err: unknown): FetchOutcome => ({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) }))
        .then((outcome) => {
          attempts.push({ source: source.name, outcome });
          if (outcome.status === 'found') {
            signal.removeEventListener('abort', onAbort);
            resolve({ source, spans: outcome.spans });
          } else if (--pending === 0) {
            signal.removeEventListener('abort', onAbort);
            resolve(null);
          }
        });
    }
  });
  stop.abort(); // cancel the slower sources

  const record = attempts.map((a) => ({
    source: a.source,
    status: a.outcome.status,
    reason: a.outcome.status === 'found' ? null : a.outcome.reason,
  }));
  for (const s of sources) {
    if (!attempts.some((a) => a.source === s.name)) {
      record.push({ source: s.name, status: 'unavailable', reason: `no answer within ${formatMillis(budget)}` });
    }
  }

  if (found) {
    options.onTrace?.(found.spans);
    const link = found.source.traceUrl(traceId) ?? (options.linkTemplate ? traceLink(options.linkTemplate, { traceId }) : null);
    const baseline = options.baseline ? await options.baseline(found.spans, AbortSignal.timeout(budget)).catch(() => null) : null;
    return analyseTrace(found.spans, {
      traceId,
      catalog: options.catalog ?? null,
      source: found.source.name,
      link,
      ...(options.focus ? { focus: options.focus } : {}),
      ...(baseline && baseline.traces > 0 ? { baseline } : {}),
    });
  }

  const failed = record.filter((r) => r.status === 'unavailable');
  if (failed.length === 0) {
    const reasons = record.map((r) => (sources.length > 1 ? `${r.source}: ${r.reason}` : r.reason)).join('; ');
    return { status: 'not_found', traceId, reason: `trace not found (${reasons})`, attempts: record };
  }
  // Some backend could not answer: the trace may well be there, so this is not "not found".
  const why = failed.map((r) => (sources.length > 1 ? `${r.source}: ${r.reason}` : r.reason)).join('; ');
  const cancelled = options.signal?.aborted && !deadline.aborted;
  return { status: 'unavailable', traceId, reason: cancelled ? 'trace unavailable (cancelled)' : `trace unavailable (${why})`, attempts: record };
}
