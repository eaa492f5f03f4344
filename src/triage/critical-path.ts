import { childrenOf, type SpanTree } from './tree.js';

// The critical path: walking back from a span's end, the child that finished last blocked it,
// then whichever child finished before that one started, and so on. What remains uncovered is the
// span's exclusive time. Latency incidents are usually the service with the most of it (latency.ts).

export interface CriticalStep {
  span: number;
  /** Exclusive time on the critical path, including `trailingUs`. */
  selfUs: number;
  /** The child that finished last (-1 if none): the span waited on it up to `end - trailingUs`. */
  lastChild: number;
  /** The stretch after `lastChild` finished until the span ended (0 without a child). */
  trailingUs: number;
}

export function criticalPath(tree: SpanTree, root: number): CriticalStep[] {
  const steps: CriticalStep[] = [];
  const stack: Array<[span: number, until: number]> = [[root, tree.end[root]!]];
  while (stack.length > 0) {
    const [n, until] = stack.pop()!;
    const s = tree.start[n]!;
    let t = Math.min(until, tree.end[n]!);
    let self = 0;
    let lastChild = -1;
    let trailingUs = 0;
    const kids = Array.from(childrenOf(tree, n)).filter((c) => tree.asyncEdge[c] === 0);
    kids.sort((a, b) => tree.end[b]! - tree.end[a]!);
    for (const c of kids) {
      if (t <= s) break;
      const cs = tree.start[c]!;
      const ce = Math.min(tree.end[c]!, t);
      if (cs >= t || ce <= s) continue;
      if (lastChild === -1) {
        lastChild = c;
        trailingUs = t - ce;
      }
      self += t - ce;
      stack.push([c, ce]);
      t = Math.max(cs, s);
    }
    if (t > s) self += t - s;
    steps.push({ span: n, selfUs: self, lastChild, trailingUs });
  }
  return steps;
}
