import type { OwnershipCatalog } from './catalog/catalog.js';
import { Baseline } from './baseline.js';
import { formatMicros } from './duration.js';
import { errorCandidates, latencyCandidates, usualFailures, type Focus, type LatencyCandidate, type OriginCandidate } from './origin.js';
import { pathHops } from './path.js';
import { describeFailure, errorSignature } from './signature.js';
import type { Span } from './span.js';
import { ownership, toOrigin } from './triage.js';
import { buildTree, type SpanTree } from './tree.js';
import { confidenceLevel, type RankedService, type TriageVerdict } from './verdict.js';

// Window mode: an incident is many failing requests, not one. Every incident trace is read for
// evidence (where its unusual error starts, which service took longer than it used to), and the
// services are ranked by how much more often they show that evidence now than before the incident.
// Far sturdier than any one trace: a trace that went wrong for another reason is outvoted, and an
// endpoint that has always failed scores nothing.

export interface WindowOptions {
  catalog?: OwnershipCatalog | null;
  focus?: Focus;
  source?: string | null;
  link?: string | null;
}

// An error at least this much more frequent than before is new (rates are shares of traces).
const RATE_FACTOR = 2;
const RATE_MARGIN = 0.05;

interface Tally {
  service: string;
  kind: 'error' | 'latency';
  traces: number;
  /** The trace's candidate, for the origin's span, operation and path. */
  exemplar: { tree: SpanTree; candidate: OriginCandidate } | null;
  /** Occurrences per signature (errors) with a readable description. */
  signatures: Map<string, { count: number; text: string }>;
  /** Latency: time above usual per trace. */
  shifts: number[];
  usual: number[];
}

function tally(map: Map<string, Tally>, service: string, kind: Tally['kind']): Tally {
  const key = `${kind}\u0000${service}`;
  let t = map.get(key);
  if (!t) map.set(key, (t = { service, kind, traces: 0, exemplar: null, signatures: new Map(), shifts: [], usual: [] }));
  return t;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** Groups spans by trace id: a file or a search answer may hold many traces. */
export function splitTraces(spans: readonly Span[]): Span[][] {
  const by = new Map<string, Span[]>();
  for (const s of spans) {
    let list = by.get(s.traceId);
    if (!list) by.set(s.traceId, (list = []));
    list.push(s);
  }
  return [...by.values()];
}

/** The latency suspect of one trace, if one service took clearly longer than it used to. */
function slowService(tree: SpanTree, baseline: Baseline | undefined): LatencyCandidate | null {
  const lead = latencyCandidates(tree, false, baseline)[0];
  return lead?.standsOut ? lead : null;
}

export function analyseWindow(incidentSpans: readonly Span[][], baselineSpans: readonly Span[][], options: WindowOptions = {}): TriageVerdict {
  const focus = options.focus ?? 'auto';
  const trees = incidentSpans.filter((s) => s.length > 0).map((s) => buildTree(s));
  const baseTrees = baselineSpans.filter((s) => s.length > 0).map((s) => buildTree(s));
  const baseline = baseTrees.length > 0 ? new Baseline() : undefined;
  for (const t of baseTrees) baseline!.add(t);
  const n = trees.length;
  const m = baseTrees.length;

  // Rates of every error signature in the incident, to compare with the baseline's.
  const incidentWith = new Map<string, number>();
  for (const tree of trees) {
    const seen = new Set<string>();
    for (const s of tree.spans) if (s.status.code === 'error') seen.add(errorSignature(s));
    for (const sig of seen) incidentWith.set(sig, (incidentWith.get(sig) ?? 0) + 1);
  }
  const usualSignature = baseline
    ? (sig: string): boolean => {
        const before = baseline.rate(sig);
        return baseline.tracesWith(sig) >= 2 && (incidentWith.get(sig) ?? 0) / n <= RATE_FACTOR * before + RATE_MARGIN;
      }
    : undefined;

  const tallies = new Map<string, Tally>();
  for (const tree of trees) {
    if (focus !== 'latency') {
      const usual = usualSignature ? usualFailures(tree, usualSignature) : undefined;
      const error = errorCandidates(tree, usual)[0];
      if (error) {
        const t = tally(tallies, error.service, 'error');
        t.traces++;
        const span = tree.spans[error.span]!;
        const sig = errorSignature(span);
        const entry = t.signatures.get(sig) ?? { count: 0, text: error.inferredFrom === 'peer' ? (error.message ?? describeFailure(span)) : describeFailure(span) };
        entry.count++;
        t.signatures.set(sig, entry);
        if (!t.exemplar || (t.exemplar.candidate.handled && !error.handled)) t.exemplar = { tree, candidate: error };
      }
    }
    if (focus !== 'errors') {
      const slow = slowService(tree, baseline);
      if (slow) {
        const t = tally(tallies, slow.service, 'latency');
        t.traces++;
        t.shifts.push(slow.us);
        t.exemplar ??= { tree, candidate: slow };
      }
    }
  }

  // How often each latency suspect was already "slow" before: the baseline judged against itself.
  const slowBefore = new Map<string, number>();
  if (baseline && focus !== 'errors') {
    for (const tree of baseTrees) {
      const slow = slowService(tree, baseline);
      if (slow) slowBefore.set(slow.service, (slowBefore.get(slow.service) ?? 0) + 1);
    }
  }

  const scored = [...tallies.values()].map((t) => {
    let before: number;
    if (t.kind === 'error') {
      const top = [...t.signatures.keys()].sort((a, b) => t.signatures.get(b)!.count - t.signatures.get(a)!.count)[0]!;
      before = m > 0 ? baseline!.tracesWith(top) / m : 0;
    } else before = m > 0 ? (slowBefore.get(t.service) ?? 0) / m : 0;
    // Handled errors count half: users probably did not see them.
    const weight = t.kind === 'error' && t.exemplar?.candidate.handled ? 0.5 : 1;
    const score = Math.max(0, t.traces / n - before) * weight;
    return { t, score, before };
  });
  scored.sort((a, b) => b.score - a.score || (a.t.kind === 'error' ? -1 : 1));

  const ranked: RankedService[] = [];
  const seen = new Set<string>();
  for (const { t, score, before } of scored) {
    if (seen.has(t.service) || score <= 0) continue;
    seen.add(t.service);
    ranked.push({ service: t.service, score: round(score), kind: t.kind, evidence: evidenceOf(t, n, m, before) });
  }

  const best = scored.find((s) => s.score > 0);
  const second = ranked[1]?.score ?? 0;
  const exemplar = best?.t.exemplar;
  const path = exemplar ? pathHops(exemplar.tree, exemplar.candidate) : [];
  const confidence = best ? round(Math.min(0.95, best.score * (1 - 0.5 * (second / best.score)))) : 0;
  const owned = best ? ownership(options.catalog, best.t.service, path) : { owner: null, ownerNote: null, suggestedOwner: null };
  const origin = best && exemplar ? { ...toOrigin(exemplar.tree, exemplar.candidate), service: best.t.service, message: topMessage(best.t) } : null;
  const spans = trees.reduce((sum, t) => sum + t.spans.length, 0);
  return {
    status: 'found',
    // The verdict links one trace that shows the origin, for a person to open.
    traceId: exemplar?.tree.spans[0]?.traceId ?? trees[0]?.spans[0]?.traceId ?? '',
    source: options.source ?? null,
    link: options.link ?? null,
    origin,
    ...owned,
    path,
    confidence,
    confidenceLevel: confidenceLevel(confidence),
    reasons: best ? ranked[0]!.evidence : [n === 0 ? 'no incident traces to read' : `nothing in the ${n} incident traces stands out${m > 0 ? ` against the ${m} before` : ''}`],
    alternatives: ranked.slice(1, 6).map((r) => {
      const t = scored.find((s) => s.t.service === r.service && s.t.kind === r.kind)!.t;
      return {
        origin: { ...toOrigin(t.exemplar!.tree, t.exemplar!.candidate), service: t.service, message: topMessage(t) },
        owner: options.catalog?.ownerOf(t.service) ?? null,
        path: pathHops(t.exemplar!.tree, t.exemplar!.candidate),
        confidence: r.score,
        reasons: r.evidence,
      };
    }),
    ranked,
    window: { traces: n, baselineTraces: m },
    stats: {
      spans,
      services: new Set(trees.flatMap((t) => t.spans.map((s) => s.service))).size,
      roots: trees.reduce((sum, t) => sum + t.roots.length, 0),
      orphans: trees.reduce((sum, t) => sum + t.stats.orphans, 0),
      duplicatesDropped: trees.reduce((sum, t) => sum + t.stats.duplicatesDropped, 0),
      skewCorrected: trees.reduce((sum, t) => sum + t.stats.skewCorrected, 0),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function topMessage(t: Tally): string | null {
  if (t.kind === 'latency') return `${formatMicros(median(t.shifts))} above usual (median of ${t.traces} traces)`;
  let best: { count: number; text: string } | null = null;
  for (const v of t.signatures.values()) if (!best || v.count > best.count) best = v;
  return best?.text ?? null;
}

function evidenceOf(t: Tally, n: number, m: number, before: number): string[] {
  const then = m > 0 ? ` (${Math.round(before * m)} of ${m} in the hour before)` : '';
  if (t.kind === 'latency') {
    return [`${t.service}: ${t.traces} of ${n} incident traces spend ${formatMicros(median(t.shifts))} (median) longer than usual in it${then}`];
  }
  const lines: string[] = [];
  const sigs = [...t.signatures.values()].sort((a, b) => b.count - a.count);
  const top = sigs[0]!;
  const handled = t.exemplar?.candidate.handled ? '; its callers handled it' : '';
  lines.push(`${t.service}: ${t.traces} of ${n} incident traces start failing here, raising \`${top.text}\`${sigs.length > 1 ? ` (and ${sigs.length - 1} other error${sigs.length > 2 ? 's' : ''})` : ''}${then}${handled}`);
  return lines;
}
