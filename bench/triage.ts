// Benchmark: parse a realistic 100k-span trace and find where the failure starts, against its floor
// measured in the same run, interleaved (bench/floor.ts): JSON.parse alone of the same text.
// Goals: ≤ 1.5× JSON.parse's time, ≤ 4× the live heap of the parsed document.
//
//   npx tsx bench/triage.ts [spans]     (BENCH_ROUNDS overrides the number of measured rounds)

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { analyseTrace, buildTree, findOrigin, parseTraceJson, parseTraceText } from '../src/triage/index.js';
import { interleave, reportRatio } from './floor.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

// Deterministic PRNG so every run measures the same trace.
let seed = 0x5eed;
function rand(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const SERVICES = [
  'storefront', 'checkout', 'auth', 'user-directory', 'cart', 'catalog', 'pricing', 'inventory', 'payments', 'fraud',
  'shipping', 'email', 'recommendations', 'search', 'reviews', 'ads', 'currency', 'quote', 'loyalty', 'notifications',
];

interface Gen {
  id: string;
  parent: string | null;
  service: string;
  name: string;
  kind: number;
  start: bigint;
  end: bigint;
  depth: number;
  attrs: Array<[string, string | number]>;
  error: string | null;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export function generateTrace(total: number): { doc: unknown; originId: string } {
  const traceId = 'c0ffee0000000000000000000000beef';
  const t0 = 1_754_500_000_000_000_000n;
  const spans: Gen[] = [];
  let next = 1;
  const root: Gen = {
    id: hex(next++, 16), parent: null, service: 'storefront', name: 'GET /checkout', kind: 2, start: t0, end: t0 + 2_000_000_000n, depth: 0,
    attrs: [['http.request.method', 'GET'], ['http.route', '/checkout'], ['http.response.status_code', 500], ['url.scheme', 'https']], error: 'checkout failed',
  };
  spans.push(root);
  const queue: Gen[] = [root];
  let head = 0;
  while (spans.length < total && head < queue.length) {
    const parent = queue[head++]!;
    const room = parent.end - parent.start;
    const fanout = parent.depth < 2 ? 12 : 1 + Math.floor(rand() * 4);
    for (let k = 0; k < fanout && spans.length < total; k++) {
      const slot = room / BigInt(fanout);
      const start = parent.start + slot * BigInt(k) + slot / 10n;
      const end = start + (slot * 8n) / 10n;
      if (parent.kind === 2 || parent.kind === 1) {
        // A server calls out: a client span, and the callee's server span below it.
        const callee = pick(SERVICES.filter((s) => s !== parent.service));
        const op = `${pick(['GET', 'POST'])} /${callee}/${pick(['items', 'users', 'orders', 'quote'])}`;
        const client: Gen = {
          id: hex(next++, 16), parent: parent.id, service: parent.service, name: op, kind: 3, start, end, depth: parent.depth + 1,
          attrs: [['http.request.method', 'GET'], ['server.address', `${callee}.prod.svc`], ['server.port', 8080], ['peer.service', callee], ['http.response.status_code', 200]],
          error: null,
        };
        spans.push(client);
        if (spans.length >= total) break;
        const server: Gen = {
          ...client, id: hex(next++, 16), parent: client.id, service: callee, kind: 2, start: start + 100_000n, end: end - 100_000n,
          attrs: [['http.request.method', 'GET'], ['http.route', op.split(' ')[1]!], ['http.response.status_code', 200], ['client.address', '10.0.0.7']],
        };
        spans.push(server);
        if (rand() < 0.3 && spans.length < total) {
          spans.push({
            id: hex(next++, 16), parent: server.id, service: callee, name: 'SELECT', kind: 3, start: server.start + 10_000n, end: server.start + 900_000n,
            depth: server.depth + 1, attrs: [['db.system', 'postgresql'], ['db.statement', 'SELECT * FROM items WHERE id = $1']], error: null,
          });
        }
        if (server.depth < 14) queue.push(server);
      }
    }
  }
  // An error chain from the root down to the deepest server's database call.
  let deepest = spans[0]!;
  for (const s of spans) if (s.depth > deepest.depth && s.kind === 2) deepest = s;
  const byId = new Map(spans.map((s) => [s.id, s]));
  const leak: Gen = {
    id: hex(next, 16), parent: deepest.id, service: deepest.service, name: 'SELECT users', kind: 3, start: deepest.start + 1000n, end: deepest.start + 5000n,
    depth: deepest.depth + 1, attrs: [['db.system', 'postgresql']], error: 'relation users does not exist',
  };
  spans[spans.length - 1] = leak;
  for (let s: Gen | undefined = deepest; s; s = s.parent ? byId.get(s.parent) : undefined) {
    s.error ??= 'upstream failed';
    for (const a of s.attrs) if (a[0] === 'http.response.status_code') a[1] = 500;
  }
  // A few handled errors elsewhere, as in any real trace.
  for (let i = 0; i < spans.length; i += 997) if (!spans[i]!.error && spans[i]!.kind === 3) spans[i]!.error = 'cache miss';

  const groups = new Map<string, Gen[]>();
  for (const s of spans) groups.set(s.service, [...(groups.get(s.service) ?? []), s]);
  const doc = {
    resourceSpans: [...groups].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }, { key: 'k8s.namespace.name', value: { stringValue: 'prod' } }] },
      scopeSpans: [{
        scope: { name: 'io.opentelemetry.http', version: '1.2.0' },
        spans: list.map((s) => ({
          traceId, spanId: s.id, ...(s.parent ? { parentSpanId: s.parent } : {}), name: s.name, kind: s.kind,
          startTimeUnixNano: s.start.toString(), endTimeUnixNano: s.end.toString(),
          attributes: s.attrs.map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } })),
          ...(s.error
            ? {
                status: { code: 2, message: s.error },
                events: [{ timeUnixNano: s.end.toString(), name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: s.error } }] }],
              }
            : {}),
        })),
      }],
    })),
  };
  return { doc, originId: leak.id };
}

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;

/** Live heap (after a full GC) while `hold` keeps what it returns alive. */
function liveHeap(hold: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = hold();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error('nothing was kept alive');
  return after - before;
}

export async function main(spanCount = Number(process.argv[2] ?? 100_000)): Promise<void> {
  const { doc, originId } = generateTrace(spanCount);
  const text = JSON.stringify(doc);
  console.log(`triage: ${spanCount.toLocaleString()} spans, ${SERVICES.length} services, ${mb(Buffer.byteLength(text))} of OTLP JSON`);

  // Time: parse + find the origin, against JSON.parse alone of the same text. Both start from the
  // string in memory, after a GC, so neither pays for the other's garbage.
  let verdict: ReturnType<typeof analyseTrace> | undefined;
  const time = (work: () => void) => async (): Promise<number> => {
    gc();
    const t0 = performance.now();
    work();
    return performance.now() - t0;
  };
  reportRatio({
    bench: 'triage',
    measure: 'parse + origin ms',
    unit: 'ms',
    pairs: await interleave({
      rounds: ROUNDS,
      warmup: 2,
      floor: time(() => JSON.parse(text)),
      subject: time(() => {
        verdict = analyseTrace(parseTraceText(text).spans);
      }),
    }),
    goal: 1.5,
    kind: 'max',
  });
  if (verdict?.origin?.spanId !== originId) throw new Error(`wrong origin: ${JSON.stringify(verdict?.origin)} (expected ${originId})`);
  console.log(`  verdict: ${verdict.origin.service} ${verdict.origin.operation} '${verdict.origin.message}', path of ${verdict.path.length} hops`);

  // Memory: the worst moment of triage is the parsed document, the spans, the tree and the analysis
  // all alive at once; the floor is the parsed document alone.
  const pairs = await interleave({
    rounds: 3,
    warmup: 0,
    floor: async () => liveHeap(() => JSON.parse(text)),
    subject: async () =>
      liveHeap(() => {
        const parsed = JSON.parse(text) as unknown;
        const spans = parseTraceJson(parsed).spans;
        const tree = buildTree(spans);
        return [parsed, spans, tree, findOrigin(tree)];
      }),
  });
  reportRatio({ bench: 'triage', measure: 'memory, live heap MB', unit: 'MB', pairs: pairs.map((p) => ({ subject: p.subject / 2 ** 20, floor: p.floor / 2 ** 20 })), goal: 4, kind: 'max' });
}

if (process.argv[1]?.endsWith('triage.ts')) await main();
