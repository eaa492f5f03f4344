import { describe, expect, it } from 'vitest';
import { analyseTrace, buildTree, type Span } from '../../src/triage/index.js';

function span(id: string, parentId: string | null, extra: Partial<Span> = {}): Span {
  return {
    traceId: 't', spanId: id, parentId, parentIsAsync: false, service: 'svc', operation: `op-${id}`, kind: 'internal',
    startUs: 0, endUs: 10, status: { code: 'unset', message: null, source: 'none' }, httpStatus: null, grpcStatus: null,
    peer: null, shared: false, attributes: {}, events: [], links: [], ...extra,
  };
}

describe('span tree', () => {
  it('turns parents that were never reported into extra roots, real roots first', () => {
    const tree = buildTree([span('b', 'missing', { startUs: 0 }), span('a', null, { startUs: 5 }), span('c', 'a')]);
    expect(tree.roots.map((r) => tree.spans[r]!.spanId)).toEqual(['a', 'b']);
    expect(tree.stats.orphans).toBe(1);
  });

  it('breaks a parent loop in corrupt data instead of hanging', () => {
    const tree = buildTree([span('a', 'c'), span('b', 'a'), span('c', 'b')]);
    expect(tree.stats.cyclesBroken).toBe(1);
    expect(tree.roots).toHaveLength(1);
    expect(tree.order).toHaveLength(3);
  });

  it('keeps one copy of a span delivered twice, preferring the copy that carries the error', () => {
    const failed = span('a', null, { status: { code: 'error', message: 'boom', source: 'otel' } });
    const tree = buildTree([span('a', null), failed]);
    expect(tree.spans).toHaveLength(1);
    expect(tree.spans[0]!.status.code).toBe('error');
  });

  it('shifts a server span whose host clock runs behind back inside its client span', () => {
    const client = span('c', null, { service: 'a', kind: 'client', startUs: 1000, endUs: 2000 });
    const server = span('s', 'c', { service: 'b', kind: 'server', startUs: 100, endUs: 900 });
    const child = span('x', 's', { service: 'b', startUs: 200, endUs: 300 });
    const tree = buildTree([client, server, child]);
    expect(tree.start[1]).toBe(1100);
    expect(tree.end[1]).toBe(1900);
    expect(tree.start[2]).toBe(1200); // the server's own children move with it
  });

  it('handles a 100k-deep chain of failing calls without blowing the stack', () => {
    const n = 100_000;
    const spans: Span[] = [];
    for (let i = 0; i < n; i++) {
      spans.push(span(`s${i}`, i === 0 ? null : `s${i - 1}`, {
        service: `svc-${i % 7}`, startUs: i, endUs: 2 * n - i, status: { code: 'error', message: `fail ${i}`, source: 'otel' },
      }));
    }
    const verdict = analyseTrace(spans);
    expect(verdict.origin?.spanId).toBe(`s${n - 1}`);
    expect(verdict.origin?.message).toBe(`fail ${n - 1}`);
  });
});
