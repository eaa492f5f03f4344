// Benchmark: parse and analyse a realistic 100k-span trace, against JSON.parse alone on the same
// bytes. Goals: total < 2× JSON.parse, memory < 10× the file size.
//
//   npx tsx bench/triage.ts [spans]

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { analyseTrace, buildTree, findOrigin, parseTraceJson, parseTraceText } from '../src/triage/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;

export function main(spanCount = Number(process.argv[2] ?? 100_000)): void {
  const { doc, originId } = generateTrace(spanCount);
  const bytes = Buffer.from(JSON.stringify(doc));
  console.log(`trace: ${spanCount.toLocaleString()} spans, ${SERVICES.length} services, ${mb(bytes.length)} of OTLP JSON`);

  // Memory first, before timing runs inflate the RSS: the worst moment is the parsed document,
  // the spans and the tree all alive at once.
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  const sample = (): void => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  };
  const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
  sample();
  const spans = parseTraceJson(parsed).spans;
  sample();
  const tree = buildTree(spans);
  sample();
  const analysis = findOrigin(tree);
  sample();
  gc();
  const heapLive = process.memoryUsage().heapUsed - heap0;
  console.log(
    `memory with document + spans + tree alive: heap +${mb(heapLive)} = ${(heapLive / bytes.length).toFixed(1)}× file size (goal < 10×) ${heapLive < 10 * bytes.length ? 'OK' : 'MISSED'}`,
  );
  console.log(`  RSS ${mb(rss0)} before, ${mb(rssPeak)} at peak (+${mb(Math.max(0, rssPeak - rss0))}); origin ${analysis.primary?.service}`);

  const runs = 5;
  const parseOnly: number[] = [];
  const full: number[] = [];
  let verdict;
  for (let i = 0; i < runs + 1; i++) {
    gc();
    let t = performance.now();
    JSON.parse(bytes.toString('utf8'));
    const p = performance.now() - t;
    gc();
    t = performance.now();
    verdict = analyseTrace(parseTraceText(bytes.toString('utf8')).spans);
    const f = performance.now() - t;
    if (i > 0) {
      // The first round warms up the JIT.
      parseOnly.push(p);
      full.push(f);
    }
  }
  if (verdict?.origin?.spanId !== originId) throw new Error(`wrong origin: ${JSON.stringify(verdict?.origin)} (expected ${originId})`);

  const tParse = median(parseOnly);
  const tFull = median(full);
  console.log(`JSON.parse alone:      ${tParse.toFixed(0)} ms`);
  console.log(`parse + analyse:       ${tFull.toFixed(0)} ms  (${(tFull / tParse).toFixed(2)}× JSON.parse; goal < 2×) ${tFull < 2 * tParse ? 'OK' : 'MISSED'}`);
  console.log(`  verdict: ${verdict.origin.service} ${verdict.origin.operation} '${verdict.origin.message}', path of ${verdict.path.length} hops`);

}

if (process.argv[1]?.endsWith("triage.ts")) main();
