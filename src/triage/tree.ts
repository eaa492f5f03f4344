import type { Span } from './span.js';
import { packedHi, packedLo, packId, SpanIdIndex } from './span-id-index.js';

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
  /** Per span, read once from the spans so that scans over all of them need not touch the objects. */
  readonly kind: Uint8Array;
  /** Index into serviceNames. */
  readonly service: Int32Array;
  readonly serviceNames: readonly string[];
  /** 1 when the span's status is error. */
  readonly failed: Uint8Array;
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

/** Span kinds as small numbers, for the typed arrays the analyses scan instead of the spans. */
export const KIND = { other: 0, server: 1, client: 2, producer: 3, consumer: 4, internal: 5 } as const;

function kindCode(kind: string): number {
  switch (kind) {
    case 'server': return KIND.server;
    case 'client': return KIND.client;
    case 'producer': return KIND.producer;
    case 'consumer': return KIND.consumer;
    case 'internal': return KIND.internal;
    default: return KIND.other;
  }
}

const isEntry = (kind: number): boolean => kind === KIND.server || kind === KIND.consumer;

/**
 * What the tree needs of each span, read in one pass: a large trace's span objects are scattered
 * over the heap, and every further pass over them costs a cache miss per span.
 */
class SpanColumns {
  readonly startUs: Float64Array;
  readonly endUs: Float64Array;
  readonly kind: Uint8Array;
  readonly service: Int32Array;
  readonly failed: Uint8Array;
  readonly parentIsAsync: Uint8Array;
  /** 0: no parent id; 1: packed into parentHi/parentLo; 2: not packable, read the span's parentId. */
  readonly parentForm: Uint8Array;
  readonly parentHi: Int32Array;
  readonly parentLo: Int32Array;
  readonly serviceNames: string[] = [];
  private readonly serviceIds = new Map<string, number>();
  private lastService: string | null = null;
  private lastServiceId = -1;

  constructor(capacity: number) {
    this.startUs = new Float64Array(capacity);
    this.endUs = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.service = new Int32Array(capacity);
    this.failed = new Uint8Array(capacity);
    this.parentIsAsync = new Uint8Array(capacity);
    this.parentForm = new Uint8Array(capacity);
    this.parentHi = new Int32Array(capacity);
    this.parentLo = new Int32Array(capacity);
  }

  set(i: number, s: Span): void {
    this.startUs[i] = s.startUs;
    this.endUs[i] = s.endUs;
    this.kind[i] = kindCode(s.kind);
    this.service[i] = this.serviceId(s.service);
    this.failed[i] = s.status.code === 'error' ? 1 : 0;
    this.parentIsAsync[i] = s.parentIsAsync ? 1 : 0;
    if (s.parentId === null) {
      this.parentForm[i] = 0;
    } else if (packId(s.parentId)) {
      this.parentForm[i] = 1;
      this.parentHi[i] = packedHi;
      this.parentLo[i] = packedLo;
    } else {
      this.parentForm[i] = 2;
    }
  }

  private serviceId(name: string): number {
    // Spans come grouped by service in every format: most lookups are the previous name again.
    if (name === this.lastService) return this.lastServiceId;
    let id = this.serviceIds.get(name);
    if (id === undefined) {
      id = this.serviceNames.length;
      this.serviceNames.push(name);
      this.serviceIds.set(name, id);
    }
    this.lastService = name;
    this.lastServiceId = id;
    return id;
  }
}

interface SpanIndex {
  spans: Span[];
  first: SpanIdIndex;
  /** Every index per id, only for ids carried by more than one span (Zipkin shared halves). */
  multi: Map<string, number[]>;
  columns: SpanColumns;
  dropped: number;
}

/**
 * Indexes spans by id and drops exact duplicates (same id, kind, service, operation and times).
 * Exporters that deliver a span twice sometimes deliver only one copy with the error flag.
 */
function indexSpans(input: readonly Span[]): SpanIndex {
  const spans: Span[] = new Array(input.length);
  const first = new SpanIdIndex(input.length);
  const columns = new SpanColumns(input.length);
  const multi = new Map<string, number[]>();
  let n = 0;
  for (let k = 0; k < input.length; k++) {
    const s = input[k]!;
    const i = n;
    const prev = first.add(s.spanId, i);
    if (prev !== -1) {
      const same = multi.get(s.spanId) ?? [prev];
      const dup = same.find((j) => sameSpan(spans[j]!, s));
      if (dup !== undefined) {
        if (s.status.code === 'error' && spans[dup]!.status.code !== 'error') {
          spans[dup] = s;
          columns.set(dup, s);
        }
        continue;
      }
      same.push(i);
      multi.set(s.spanId, same);
    }
    spans[n++] = s;
    columns.set(i, s);
  }
  spans.length = n;
  return { spans, first, multi, columns, dropped: input.length - n };
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

/** Parent indices, resolving Zipkin's shared client/server ids; orphans are marked. */
function resolveParents(index: SpanIndex, parent: Int32Array, orphan: Uint8Array): void {
  const { spans, first, multi, columns } = index;
  const n = spans.length;
  for (let i = 0; i < n; i++) {
    const form = columns.parentForm[i]!;
    if (multi.size === 0) {
      if (form === 0) continue;
      const p = form === 1 ? first.getPacked(columns.parentHi[i]!, columns.parentLo[i]!) : first.get(spans[i]!.parentId!);
      if (p === -1) orphan[i] = 1;
      else if (p !== i) parent[i] = p;
      continue;
    }
    const s = spans[i]!;
    const same = multi.get(s.spanId);
    if (same && isEntry(columns.kind[i]!)) {
      // Zipkin shared span: the server half's parent is the client half with the same id.
      const client = same.find((j) => j !== i && (columns.kind[j] === KIND.client || columns.kind[j] === KIND.producer));
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
    const cands = multi.get(s.parentId);
    if (!cands) {
      if (firstParent !== i) parent[i] = firstParent;
      continue;
    }
    // Children of a shared id ran inside the server half.
    let pick = -1;
    for (const j of cands) {
      if (j === i) continue;
      if (pick === -1 || (isEntry(columns.kind[j]!) && !isEntry(columns.kind[pick]!))) pick = j;
    }
    parent[i] = pick;
  }
}

export function buildTree(input: readonly Span[]): SpanTree {
  // span id → indices; usually one, two for a Zipkin shared client/server pair.
  const index = indexSpans(input);
  const { spans, columns, dropped } = index;
  const n = spans.length;
  // Views of length n: the columns were sized for the input, duplicates included.
  const rawStart = columns.startUs.subarray(0, n);
  const kind = columns.kind.subarray(0, n);
  const service = columns.service.subarray(0, n);

  const parent = new Int32Array(n).fill(-1);
  const orphan = new Uint8Array(n);
  resolveParents(index, parent, orphan);

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
    if (columns.parentIsAsync[i] || kind[i] === KIND.consumer || kind[p] === KIND.producer) asyncEdge[i] = 1;
  }

  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const skewCorrected = correctSkew(columns, parent, asyncEdge, order, start, end);

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
    kind,
    service,
    serviceNames: columns.serviceNames,
    failed: columns.failed.subarray(0, n),
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
  columns: SpanColumns,
  parent: Int32Array,
  asyncEdge: Uint8Array,
  order: Int32Array,
  start: Float64Array,
  end: Float64Array,
): number {
  const { startUs, endUs, service } = columns;
  const shift = new Float64Array(parent.length);
  let corrected = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const p = parent[i]!;
    let delta = p >= 0 ? shift[p]! : 0;
    if (p >= 0 && service[p] !== service[i]) {
      const ps = start[p]!;
      const pe = end[p]!;
      const cs = startUs[i]! + delta;
      const ce = endUs[i]! + delta;
      const dur = endUs[i]! - startUs[i]!;
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
    start[i] = startUs[i]! + delta;
    end[i] = endUs[i]! + delta;
  }
  return corrected;
}
