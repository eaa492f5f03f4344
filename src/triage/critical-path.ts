import { childrenOf, durationOf, type SpanTree } from './tree.js';

// The critical path: walking back from a span's end, the child that finished last blocked it,
// then whichever child finished before that one started, and so on. What remains uncovered is the
// span's exclusive time. Latency incidents are usually the span with the most of it.

export interface CriticalStep {
  span: number;
  selfUs: number;
}

export function criticalPath(tree: SpanTree, root: number): CriticalStep[] {
  const steps: CriticalStep[] = [];
  const stack: Array<[span: number, until: number]> = [[root, tree.end[root]!]];
  while (stack.length > 0) {
    const [n, until] = stack.pop()!;
    const s = tree.start[n]!;
    let t = Math.min(until, tree.end[n]!);
    let self = 0;
    const kids = Array.from(childrenOf(tree, n)).filter((c) => tree.asyncEdge[c] === 0);
    kids.sort((a, b) => tree.end[b]! - tree.end[a]!);
    for (const c of kids) {
      if (t <= s) break;
      const cs = tree.start[c]!;
      const ce = Math.min(tree.end[c]!, t);
      if (cs >= t || ce <= s) continue;
      self += t - ce;
      stack.push([c, ce]);
      t = Math.max(cs, s);
    }
    if (t > s) self += t - s;
    steps.push({ span: n, selfUs: self });
  }
  return steps;
}

export interface LatencySuspect {
  span: number;
  selfUs: number;
  /** Duration of the root the critical path was walked from. */
  totalUs: number;
  share: number;
  root: number;
}

/** The span with the largest exclusive time on the critical path of the longest root. */
export function latencySuspect(tree: SpanTree): LatencySuspect | null {
  if (tree.roots.length === 0) return null;
  let root = tree.roots[0]!;
  for (const r of tree.roots) if (durationOf(tree, r) > durationOf(tree, root)) root = r;
  const total = durationOf(tree, root);
  if (total <= 0) return null;
  let best: CriticalStep | null = null;
  for (const step of criticalPath(tree, root)) {
    if (!best || step.selfUs > best.selfUs) best = step;
  }
  if (!best) return null;
  return { span: best.span, selfUs: best.selfUs, totalUs: total, share: best.selfUs / total, root };
}
