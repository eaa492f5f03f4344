import type { Span } from './span.js';

// The span tree as real traces deliver it: parents that were never reported (their children become
// extra roots), several roots, clocks that disagree between hosts, Zipkin client/server halves
// sharing one id, duplicated spans, and 100k spans. Everything is index-based and iterative: no
// recursion, no per-span closures.

export interface SpanTree {
  readonly spans: readonly Span[];
  /** Index of the parent span, -1 for a root. */
  readonly parent: Int32Array;
  /** Children of span i are childList[childStart[i] .. childStart[i + 1]), ordered by start time. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  /** Real roots first (no parent id), then orphans (parent id not in the trace); each by start. */
  readonly roots: readonly number[];
  /** 1 when the span names a parent that is not in the trace. */
  readonly orphan: Uint8Array;
  /** 1 when the edge to the parent is asynchronous (producer → consumer, FOLLOWS_FROM). */
  readonly asyncEdge: Uint8Array;
  /** Start and end in microseconds after clock-skew correction. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Parents before children. */
  readonly order: Int32Array;
  readonly stats: TreeStats;
}

export interface TreeStats {
  spans: number;
  duplicatesDropped: number;
  orphans: number;
  skewCorrected: number;
  cyclesBroken: number;
}

export function childrenOf(tree: SpanTree, i: number): Int32Array {
  return tree.childList.subarray(tree.childStart[i]!, tree.childStart[i + 1]!);
}

export function durationOf(tree: SpanTree, i: number): number {
  return Math.max(0, tree.end[i]! - tree.start[i]!);
}

/** Span indices from the root of i's tree down to i. */
export function ancestry(tree: SpanTree, i: number): number[] {
  const chain: number[] = [];
  for (let j = i; j !== -1; j = tree.parent[j]!) chain.push(j);
  return chain.reverse();
}

function sameSpan(a: Span, b: Span): boolean {
  return a.operation === b.operation && a.startUs === b.startUs && a.endUs === b.endUs;
}

function dedupe(input: readonly Span[]): { spans: Span[]; dropped: number } {
  const seen = new Map<string, number>();
  const spans: Span[] = [];
  let dropped = 0;
  for (const s of input) {
    const key = `${s.spanId}|${s.kind}|${s.service}`;
    const prev = seen.get(key);
    if (prev !== undefined && sameSpan(spans[prev]!, s)) {
      // Exporters that deliver a span twice sometimes deliver only one copy with the error flag.
      if (s.status.code === 'error' && spans[prev]!.status.code !== 'error') spans[prev] = s;
      dropped++;
      continue;
    }
    if (prev === undefined) seen.set(key, spans.length);
    spans.push(s);
  }
  return { spans, dropped };
}

const ENTRY_KINDS = new Set(['server', 'consumer']);

export function buildTree(input: readonly Span[]): SpanTree {
  const { spans, dropped } = dedupe(input);
  const n = spans.length;

  // span id → indices; usually one, two for a Zipkin shared client/server pair.
  const byId = new Map<string, number | number[]>();
  for (let i = 0; i < n; i++) {
    const id = spans[i]!.spanId;
    const prev = byId.get(id);
    if (prev === undefined) byId.set(id, i);
    else if (typeof prev === 'number') byId.set(id, [prev, i]);
    else prev.push(i);
  }

  const parent = new Int32Array(n).fill(-1);
  const orphan = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const same = byId.get(s.spanId);
    if (Array.isArray(same) && ENTRY_KINDS.has(s.kind)) {
      // Zipkin shared span: the server half's parent is the client half with the same id.
      const client = same.find((j) => j !== i && (spans[j]!.kind === 'client' || spans[j]!.kind === 'producer'));
      if (client !== undefined) {
        parent[i] = client;
        continue;
      }
    }
    if (s.parentId === null) continue;
    const cands = byId.get(s.parentId);
    if (cands === undefined) {
      orphan[i] = 1;
      continue;
    }
    if (typeof cands === 'number') {
      if (cands !== i) parent[i] = cands;
      continue;
    }
    // Children of a shared id ran inside the server half.
    let pick = -1;
    for (const j of cands) {
      if (j === i) continue;
      if (pick === -1 || (ENTRY_KINDS.has(spans[j]!.kind) && !ENTRY_KINDS.has(spans[pick]!.kind))) pick = j;
    }
    parent[i] = pick;
  }

  const cyclesBroken = breakCycles(parent);

  const childCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) childCount[parent[i]!]!++;
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i]! + childCount[i]!;
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n]!);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childList[fill[p]!++] = i;
  }
  const byStart = (a: number, b: number): number => spans[a]!.startUs - spans[b]!.startUs || a - b;
  for (let i = 0; i < n; i++) {
    const from = childStart[i]!;
    const to = childStart[i + 1]!;
    if (to - from > 1) childList.subarray(from, to).sort(byStart);
  }

  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (parent[i] === -1) roots.push(i);
  roots.sort((a, b) => orphan[a]! - orphan[b]! || byStart(a, b));
  let orphans = 0;
  for (const r of roots) orphans += orphan[r]!;

  const asyncEdge = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) continue;
    const s = spans[i]!;
    if (s.parentIsAsync || s.kind === 'consumer' || spans[p]!.kind === 'producer') asyncEdge[i] = 1;
  }

  // Breadth-first order: parents before children, without recursion.
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (const r of roots) order[tail++] = r;
  while (head < tail) {
    const i = order[head++]!;
    for (let c = childStart[i]!; c < childStart[i + 1]!; c++) order[tail++] = childList[c]!;
  }

  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const skewCorrected = correctSkew(spans, parent, asyncEdge, order, start, end);

  return {
    spans,
    parent,
    childStart,
    childList,
    roots,
    orphan,
    asyncEdge,
    start,
    end,
    order,
    stats: { spans: n, duplicatesDropped: dropped, orphans, skewCorrected, cyclesBroken },
  };
}

/** Parent pointers can loop in corrupt data; cut each loop once so every span hangs off a root. */
function breakCycles(parent: Int32Array): number {
  const n = parent.length;
  const state = new Uint8Array(n); // 0 new, 1 on the current walk, 2 done
  const walk: number[] = [];
  let cut = 0;
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) continue;
    walk.length = 0;
    let j = i;
    while (j !== -1 && state[j] === 0) {
      state[j] = 1;
      walk.push(j);
      j = parent[j]!;
    }
    if (j !== -1 && state[j] === 1) {
      parent[j] = -1;
      cut++;
    }
    for (const k of walk) state[k] = 2;
  }
  return cut;
}

/**
 * Hosts disagree on the time. When a span from another service does not fit inside its
 * synchronous parent, shift it (and, through the accumulated offset, its subtree) to sit centred
 * in the parent, the way Zipkin and Jaeger UIs do. Async children may start late, never early.
 */
function correctSkew(
  spans: readonly Span[],
  parent: Int32Array,
  asyncEdge: Uint8Array,
  order: Int32Array,
  start: Float64Array,
  end: Float64Array,
): number {
  const shift = new Float64Array(spans.length);
  let corrected = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const s = spans[i]!;
    const p = parent[i]!;
    let delta = p >= 0 ? shift[p]! : 0;
    if (p >= 0 && spans[p]!.service !== s.service) {
      const ps = start[p]!;
      const pe = end[p]!;
      const cs = s.startUs + delta;
      const ce = s.endUs + delta;
      const dur = s.endUs - s.startUs;
      if (asyncEdge[i]) {
        if (cs < ps) {
          delta += ps - cs;
          corrected++;
        }
      } else if (dur <= pe - ps ? cs < ps || ce > pe : cs < ps) {
        // A callee that outlived its caller is a caller that gave up, not skew: only fix its start.
        delta += dur <= pe - ps ? ps + (pe - ps - dur) / 2 - cs : ps - cs;
        corrected++;
      }
    }
    shift[i] = delta;
    start[i] = s.startUs + delta;
    end[i] = s.endUs + delta;
  }
  return corrected;
}
