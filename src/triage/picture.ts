import type { PictureSpan, TracePicture } from '../domain/trace-picture.js';
import { grpcCodeName } from './formats/status.js';
import type { Span } from './span.js';
import { formatSummary } from './summary.js';
import { ancestry, buildTree, type SpanTree } from './tree.js';
import type { TriageVerdict } from './verdict.js';

// Cuts the trace triage read down to the picture people look at. A 10k-span trace drawn whole is a
// grey wall; what matters is the failure path, the spans that failed, and the longest of the rest.

/** Rows a picture keeps at most: the SVG stays small and readable, the stored copy a few dozen KB. */
export const PICTURE_MAX_ROWS = 80;

export function tracePicture(spans: readonly Span[], verdict: TriageVerdict, maxRows = PICTURE_MAX_ROWS): TracePicture {
  const tree = buildTree(spans);
  const n = tree.spans.length;
  const originIndex = verdict.origin ? indexOf(tree, verdict.origin.spanId, verdict.origin.service) : -1;
  const path = new Set(originIndex >= 0 ? ancestry(tree, originIndex) : []);

  // Budget first to the failure path, then failing spans with their callers, then the longest spans.
  const keep = new Set<number>(path);
  // A span comes with its callers up to one already kept, or not at all: no bar floats without its caller.
  const take = (i: number): void => {
    const room = maxRows - keep.size;
    const chain: number[] = [];
    for (let j = i; j !== -1 && !keep.has(j); j = tree.parent[j]!) {
      if (chain.length >= room) return;
      chain.push(j);
    }
    for (const j of chain) keep.add(j);
  };
  for (const r of tree.roots) take(r);
  for (let i = 0; i < n && keep.size < maxRows; i++) if (tree.spans[i]!.status.code === 'error') take(i);
  if (keep.size < maxRows) {
    const byLength = Array.from({ length: n }, (_, i) => i).sort((a, b) => tree.end[b]! - tree.start[b]! - (tree.end[a]! - tree.start[a]!));
    for (const i of byLength) {
      if (keep.size >= maxRows) break;
      take(i);
    }
  }

  const kept = [...keep];
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const i of kept) {
    startUs = Math.min(startUs, tree.start[i]!);
    endUs = Math.max(endUs, tree.end[i]!);
  }
  if (!Number.isFinite(startUs)) startUs = endUs = 0;

  // Lanes: services in the order they first appear in time, the entry service first.
  const laneOf = new Map<string, number>();
  for (const i of [...kept].sort((a, b) => tree.start[a]! - tree.start[b]!)) {
    const service = tree.spans[i]!.service;
    if (!laneOf.has(service)) laneOf.set(service, laneOf.size);
  }
  kept.sort((a, b) => laneOf.get(tree.spans[a]!.service)! - laneOf.get(tree.spans[b]!.service)! || tree.start[a]! - tree.start[b]!);

  const rows: PictureSpan[] = kept.map((i) => {
    const span = tree.spans[i]!;
    const parent = tree.parent[i]!;
    return {
      id: String(i),
      parent: parent >= 0 && keep.has(parent) ? String(parent) : null,
      service: span.service,
      operation: span.operation,
      offsetUs: tree.start[i]! - startUs,
      durationUs: Math.max(0, tree.end[i]! - tree.start[i]!),
      failed: span.status.code === 'error',
      status: statusOf(span),
      onPath: path.has(i),
      origin: i === originIndex,
    };
  });

  return {
    mode: verdict.window ? 'window' : 'trace',
    traceId: verdict.traceId,
    source: verdict.source,
    startedAt: new Date(Math.round(startUs / 1000)).toISOString(),
    durationUs: Math.max(0, endUs - startUs),
    spans: rows,
    totalSpans: n,
    evidence: evidenceOf(verdict),
  };
}

/** The evidence alone, for a verdict whose spans are not at hand (window mode without an example trace). */
export function evidenceOf(verdict: TriageVerdict): TracePicture['evidence'] {
  const origin = verdict.origin;
  return {
    summary: formatSummary(verdict),
    origin: origin ? { service: origin.service, kind: origin.kind, message: origin.message } : null,
    path: verdict.path.map((h) => ({ service: h.service, status: h.status })),
    confidence: verdict.confidence,
    confidenceLevel: verdict.confidenceLevel,
    reasons: verdict.reasons,
    ranked: verdict.ranked ?? [],
    window: verdict.window ?? null,
  };
}

/** A picture without spans: window mode when no example trace was kept. */
export function evidencePicture(verdict: TriageVerdict): TracePicture {
  return {
    mode: verdict.window ? 'window' : 'trace',
    traceId: verdict.traceId,
    source: verdict.source,
    startedAt: new Date(0).toISOString(),
    durationUs: 0,
    spans: [],
    totalSpans: 0,
    evidence: evidenceOf(verdict),
  };
}

/** The origin's span: the id, and the service when Zipkin's client and server halves share the id. */
function indexOf(tree: SpanTree, spanId: string, service: string): number {
  let first = -1;
  for (let i = 0; i < tree.spans.length; i++) {
    const span = tree.spans[i]!;
    if (span.spanId !== spanId) continue;
    if (span.service === service) return i;
    if (first < 0) first = i;
  }
  return first;
}

function statusOf(span: Span): string | null {
  if (span.httpStatus !== null) return String(span.httpStatus);
  if (span.grpcStatus !== null && span.grpcStatus !== 0) return grpcCodeName(span.grpcStatus);
  return span.status.code === 'error' ? 'error' : null;
}

/** Rows the PNG in chat keeps: a picture people read at a glance on a phone, and half the render time. */
export const CHAT_PICTURE_ROWS = 40;

/** The same picture with fewer rows: the failure path, then failed spans, then the longest others. */
export function fewerRows(picture: TracePicture, maxRows = CHAT_PICTURE_ROWS): TracePicture {
  if (picture.spans.length <= maxRows) return picture;
  const keep = new Set<string>();
  for (const s of picture.spans) if (s.onPath) keep.add(s.id);
  const add = (s: PictureSpan) => void (keep.size < maxRows && keep.add(s.id));
  for (const s of picture.spans) if (s.failed) add(s);
  for (const s of [...picture.spans].sort((a, b) => b.durationUs - a.durationUs)) add(s);
  const spans = picture.spans.filter((s) => keep.has(s.id)).map((s) => (s.parent !== null && !keep.has(s.parent) ? { ...s, parent: null } : s));
  return { ...picture, spans };
}
