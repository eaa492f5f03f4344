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
  return a.kind === b.kind && a.service === b.service && a.operation === b.operation && a.startUs === b.startUs && a.endUs === b.endUs;
}

/**
 * Span id → index of the first span with that id. An open-addressing table over typed arrays:
 * for 100k ids it is several times faster than a Map, which has to hash every freshly parsed string.
 */
class IdIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly ids: readonly string[],
    capacity: number,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  private static hash(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  /** Index of the first span with this id, or -1. */
  get(id: string): number {
    for (let slot = IdIndex.hash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.slots[slot]!;
      if (v === 0) return -1;
      if (this.ids[v - 1] === id) return v - 1;
    }
  }

  /** Records index i for its id unless the id is known; returns the earlier index or -1. */
  add(i: number): number {
    const id = this.ids[i]!;
    for (let slot = IdIndex.hash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.slots[slot]!;
      if (v === 0) {
        this.slots[slot] = i + 1;
        return -1;
      }
      if (this.ids[v - 1] === id) return v - 1;
    }
  }
}

interface SpanIndex {
  spans: Span[];
  first: IdIndex;
  /** Every index per id, only for ids carried by more than one span (Zipkin shared halves). */
  multi: Map<string, number[]>;
  dropped: number;
}

/**
 * Indexes spans by id and drops exact duplicates (same id, kind, service, operation and times).
 * Exporters that deliver a span twice sometimes deliver only one copy with the error flag.
 */
function indexSpans(input: readonly Span[]): SpanIndex {
  const spans: Span[] = [];
  const ids: string[] = [];
  const first = new IdIndex(ids, input.length);
  const multi = new Map<string, number[]>();
  let dropped = 0;
  for (let k = 0; k < input.length; k++) {
    const s = input[k]!;
    const i = spans.length;
    spans.push(s);
    ids.push(s.spanId);
    const prev = first.add(i);
    if (prev === -1) continue;
    const same = multi.get(s.spanId) ?? [prev];
    const dup = same.find((j) => sameSpan(spans[j]!, s));
    if (dup !== undefined) {
      if (s.status.code === 'error' && spans[dup]!.status.code !== 'error') spans[dup] = s;
      spans.pop();
      ids.pop();
      dropped++;
      continue;
    }
    same.push(i);
    multi.set(s.spanId, same);
  }
  return { spans, first, multi, dropped };
}

/** Sorts list[from, to) by key; sibling lists are short, so insertion sort beats allocating. */
function sortRange(list: Int32Array, from: number, to: number, key: Float64Array): void {
  if (to - from > 32) {
    list.subarray(from, to).sort((a, b) => key[a]! - key[b]! || a - b);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = list[i]!;
    const kv = key[v]!;
    let j = i - 1;
    while (j >= from && (key[list[j]!]! > kv || (key[list[j]!]! === kv && list[j]! > v))) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = v;
  }
}

const ENTRY_KINDS = new Set(['server', 'consumer']);

export function buildTree(input: readonly Span[]): SpanTree {
  // span id → indices; usually one, two for a Zipkin shared client/server pair.
  const { spans, first, multi, dropped } = indexSpans(input);
  const n = spans.length;
  const rawStart = new Float64Array(n);
  for (let i = 0; i < n; i++) rawStart[i] = spans[i]!.startUs;

  const parent = new Int32Array(n).fill(-1);
  const orphan = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const same = multi.size > 0 ? multi.get(s.spanId) : undefined;
    if (same && ENTRY_KINDS.has(s.kind)) {
      // Zipkin shared span: the server half's parent is the client half with the same id.
      const client = same.find((j) => j !== i && (spans[j]!.kind === 'client' || spans[j]!.kind === 'producer'));
      if (client !== undefined) {
        parent[i] = client;
        continue;
      }
    }
    if (s.parentId === null) continue;
    const firstParent = first.get(s.parentId);
    if (firstParent === -1) {
      orphan[i] = 1;
      continue;
    }
    const cands = multi.size > 0 ? multi.get(s.parentId) : undefined;
    if (!cands) {
      if (firstParent !== i) parent[i] = firstParent;
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

  let links = linkChildren(parent, orphan, rawStart);
  let cyclesBroken = 0;
  if (links.order.length < n) {
    // Spans unreachable from any root sit on a parent loop (corrupt data): cut the loops, relink.
    cyclesBroken = breakCycles(parent);
    links = linkChildren(parent, orphan, rawStart);
  }
  const { childStart, childList, roots, order } = links;
  let orphans = 0;
  for (const r of roots) orphans += orphan[r]!;

  const asyncEdge = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) continue;
    const s = spans[i]!;
    if (s.parentIsAsync || s.kind === 'consumer' || spans[p]!.kind === 'producer') asyncEdge[i] = 1;
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

interface Links {
  childStart: Int32Array;
  childList: Int32Array;
  roots: number[];
  /** Breadth-first from the roots: parents before children; shorter than n if parents loop. */
  order: Int32Array;
}

function linkChildren(parent: Int32Array, orphan: Uint8Array, rawStart: Float64Array): Links {
  const n = parent.length;
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) childStart[parent[i]! + 1]!++;
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n]!);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childList[fill[p]!++] = i;
  }
  for (let i = 0; i < n; i++) {
    if (childStart[i + 1]! - childStart[i]! > 1) sortRange(childList, childStart[i]!, childStart[i + 1]!, rawStart);
  }

  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (parent[i] === -1) roots.push(i);
  roots.sort((a, b) => orphan[a]! - orphan[b]! || rawStart[a]! - rawStart[b]! || a - b);

  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (const r of roots) order[tail++] = r;
  while (head < tail) {
    const i = order[head++]!;
    for (let c = childStart[i]!; c < childStart[i + 1]!; c++) order[tail++] = childList[c]!;
  }
  return { childStart, childList, roots, order: tail < n ? order.slice(0, tail) : order };
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
