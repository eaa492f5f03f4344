import { criticalPath } from './critical-path.js';
import { durationOf, KIND, type SpanTree } from './tree.js';

// Where a slow request spent its time, per service. The critical path (see critical-path.ts) gives
// each span's exclusive time; two refinements make it name the right service:
// - Summed per service: seven 200 ms calls of one service, or two of its steps at 49.9% each, are
//   one slow service, not seven small suspects.
// - Gap attribution: the time a client span spends outside its callee's server span is the network
//   and queues between them. Time before the server span starts is the request's way there (the
//   caller's side); time after the server span ended is the response's way back, which is where a
//   delay injected at the callee (a slow link, a saturated pod) shows up: that belongs to the callee.

export interface LatencyUnit {
  /** The service the time is attributed to. */
  service: string;
  /** What the time is comparable with in other traces (same service, operation and role). */
  key: string;
  us: number;
  /** The span the time belongs to (for a callee-side gap: the callee's server span). */
  span: number;
  /** `self`: the span's own work; `callee`: a response path gap attributed to the callee. */
  role: 'self' | 'callee';
}

export interface LatencyProfile {
  root: number;
  totalUs: number;
  units: LatencyUnit[];
  /** Attributed time per service, summed over the critical path. */
  byService: Map<string, number>;
}

/**
 * Whether `parent` is the calling side of a call into `child`'s service: a client span, or a span
 * without a kind (some exporters drop kinds) that looks like one: inside its own service's work
 * (its parent is in the same service), with just this one child, in another service. A kind-less
 * span whose parent is in another service is a request handler: its time after a call is its own.
 */
export function isCallEdge(tree: SpanTree, parent: number, child: number): boolean {
  const { kind, service } = tree;
  if (service[child] === service[parent] || tree.asyncEdge[child]) return false;
  if (kind[parent] === KIND.client) return true;
  if (kind[parent] !== KIND.internal || (kind[child] !== KIND.server && kind[child] !== KIND.internal)) return false;
  if (tree.childStart[parent + 1]! - tree.childStart[parent]! !== 1) return false;
  const grand = tree.parent[parent]!;
  return grand >= 0 && service[grand] === service[parent];
}

/** The longest root: the request whose latency users felt. */
export function longestRoot(tree: SpanTree): number {
  let root = tree.roots[0] ?? -1;
  for (const r of tree.roots) if (durationOf(tree, r) > durationOf(tree, root)) root = r;
  return root;
}

export function latencyProfile(tree: SpanTree): LatencyProfile | null {
  const root = longestRoot(tree);
  if (root < 0) return null;
  const totalUs = durationOf(tree, root);
  if (totalUs <= 0) return null;
  const units: LatencyUnit[] = [];
  const spans = tree.spans;
  for (const step of criticalPath(tree, root)) {
    const n = step.span;
    const span = spans[n]!;
    // The stretch after the last callee finished is its response's way back.
    const calleeGap = step.lastChild >= 0 && isCallEdge(tree, n, step.lastChild) ? step.trailingUs : 0;
    const self = step.selfUs - calleeGap;
    if (self > 0) units.push({ service: span.service, key: `s\u0000${span.service}\u0000${span.operation}\u0000${span.kind}`, us: self, span: n, role: 'self' });
    if (calleeGap > 0) {
      const to = spans[step.lastChild]!.service;
      units.push({ service: to, key: `r\u0000${span.service}\u0000${span.operation}\u0000${to}`, us: calleeGap, span: step.lastChild, role: 'callee' });
    }
  }
  const byService = new Map<string, number>();
  for (const u of units) byService.set(u.service, (byService.get(u.service) ?? 0) + u.us);
  return { root, totalUs, units, byService };
}

/** Services by attributed time, most first. */
export function servicesByTime(profile: LatencyProfile): Array<[service: string, us: number]> {
  return [...profile.byService.entries()].sort((a, b) => b[1] - a[1]);
}
