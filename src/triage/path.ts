import { grpcCodeName } from './formats/status.js';
import { formatMicros } from './duration.js';
import type { OriginCandidate } from './origin.js';
import { durationOf, type SpanTree } from './tree.js';
import type { PathHop } from './verdict.js';

/**
 * Collapses the span chain from the entry point to the origin into one hop per service, each with
 * the status a person would quote: the HTTP code the service answered, a gRPC code, or error/ok.
 */
export function pathHops(tree: SpanTree, candidate: OriginCandidate): PathHop[] {
  const hops: PathHop[] = [];
  const groups: number[][] = [];
  for (const i of candidate.chain) {
    const last = groups[groups.length - 1];
    if (last && tree.spans[last[0]!]!.service === tree.spans[i]!.service) last.push(i);
    else groups.push([i]);
  }
  for (const group of groups) {
    const head = tree.spans[group[0]!]!;
    hops.push({
      service: head.service,
      operation: head.operation,
      status: candidate.kind === 'latency' ? formatMicros(durationOf(tree, group[0]!)) : hopStatus(tree, group),
      spanId: head.spanId,
    });
  }
  if (candidate.inferredFrom === 'peer') {
    const caller = tree.spans[candidate.span]!;
    hops.push({ service: candidate.service, operation: caller.operation, status: 'no span', spanId: caller.spanId });
  }
  return hops;
}

function hopStatus(tree: SpanTree, group: number[]): string {
  const spans = group.map((i) => tree.spans[i]!);
  // What the service answered (its entry span), else the first failing status code inside it.
  const head = spans[0]!;
  if (head.httpStatus !== null && (head.kind === 'server' || head.kind === 'consumer')) return String(head.httpStatus);
  const http = spans.find((s) => s.httpStatus !== null)?.httpStatus;
  if (http !== undefined && http !== null && (http >= 400 || spans.every((s) => s.status.code !== 'error'))) return String(http);
  const grpc = spans.find((s) => s.grpcStatus !== null && s.grpcStatus !== 0)?.grpcStatus;
  if (grpc !== undefined && grpc !== null) return grpcCodeName(grpc);
  return spans.some((s) => s.status.code === 'error') ? 'error' : 'ok';
}
