import { afterEach, describe, expect, it } from 'vitest';
import {
  createTraceSource,
  FileTraceSource,
  JaegerSource,
  loadCatalog,
  parseTraceSources,
  SourcesConfigError,
  TempoSource,
  triage,
  ZipkinSource,
} from '../../src/triage/index.js';
import { fakeBackend, json, type FakeBackend } from './helpers/fake-backend.js';
import { ownFixture } from './helpers/paths.js';
import { serialise } from './helpers/scenario.js';
import { cascade } from './helpers/scenarios.js';

const traceId = cascade.scenario.traceId;
const backends: FakeBackend[] = [];
async function backend(handler: Parameters<typeof fakeBackend>[0]): Promise<FakeBackend> {
  const b = await fakeBackend(handler);
  backends.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

const never = (): void => undefined;

describe('trace sources', () => {
  it('fetches from Jaeger and answers with the origin, its owner and a deep link', async () => {
    const jaeger = await backend((req, res) =>
      req.url === `/api/traces/${traceId}` ? json(res, 200, serialise(cascade.scenario, 'jaeger')) : json(res, 404, '{"data":null}'),
    );
    const catalog = await loadCatalog({ catalog: [ownFixture('catalog')] });
    const result = await triage({
      traceId,
      sources: [new JaegerSource({ name: 'jaeger', url: `${jaeger.url}/`, uiUrl: 'https://jaeger.example/trace/{traceId}' })],
      catalog,
    });
    expect(result).toMatchObject({
      status: 'found',
      source: 'jaeger',
      link: `https://jaeger.example/trace/${traceId}`,
      origin: { service: 'user-directory' },
      owner: { team: 'team-directory' },
    });
  });

  it("asks Tempo for JSON with the tenant's X-Scope-OrgID and a bearer token", async () => {
    const tempo = await backend((_req, res) => json(res, 200, serialise(cascade.scenario, 'tempo')));
    const result = await triage({
      traceId,
      sources: [new TempoSource({ name: 'tempo', url: tempo.url, orgId: 'tenant-a', auth: { bearer: 's3cret' } })],
    });
    expect(result.status).toBe('found');
    expect(tempo.requests[0]).toMatchObject({
      path: `/api/traces/${traceId}`,
      headers: { 'x-scope-orgid': 'tenant-a', authorization: 'Bearer s3cret', accept: 'application/json' },
    });
  });

  it('fetches from Zipkin with basic auth', async () => {
    const zipkin = await backend((_req, res) => json(res, 200, serialise(cascade.scenario, 'zipkin')));
    const result = await triage({
      traceId,
      sources: [new ZipkinSource({ name: 'zipkin', url: zipkin.url, auth: { basic: { username: 'bot', password: 'pw' } } })],
    });
    expect(result).toMatchObject({ status: 'found', origin: { service: 'user-directory' } });
    expect(zipkin.requests[0]!.path).toBe(`/api/v2/trace/${traceId}`);
    expect(zipkin.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('bot:pw').toString('base64')}`);
  });

  it('says "not found" for a 404 or an empty trace, which is not the same as unavailable', async () => {
    const jaeger = await backend((_req, res) => json(res, 404, '{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}'));
    const empty = await backend((_req, res) => json(res, 200, '{"data":[]}'));
    const one = await triage({ traceId, sources: [new JaegerSource({ name: 'jaeger', url: jaeger.url })] });
    expect(one).toMatchObject({ status: 'not_found', reason: 'trace not found (trace not found)' });
    const both = await triage({
      traceId,
      sources: [new JaegerSource({ name: 'a', url: jaeger.url }), new JaegerSource({ name: 'b', url: empty.url })],
    });
    expect(both.status).toBe('not_found');
    expect(jaeger.requests).toHaveLength(2); // 404 is an answer: no retries
  });

  it('gives up on a slow backend after its 2 s default timeout, without retrying, and does not throw', async () => {
    const slow = await backend(never);
    const started = Date.now();
    const result = await triage({ traceId, sources: [new JaegerSource({ name: 'jaeger', url: slow.url })] });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ status: 'unavailable', reason: 'trace unavailable (timeout after 2 s)' });
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(2900);
    expect(slow.requests).toHaveLength(1);
  });

  it('retries a 500 with backoff and succeeds on the second attempt', async () => {
    const flaky = await backend((_req, res, n) => (n === 1 ? json(res, 500, 'internal error') : json(res, 200, serialise(cascade.scenario, 'zipkin'))));
    const result = await triage({ traceId, sources: [new ZipkinSource({ name: 'zipkin', url: flaky.url, retries: 2, backoffMs: 10 })] });
    expect(result.status).toBe('found');
    expect(flaky.requests).toHaveLength(2);
  });

  it('reports a backend that keeps failing as unavailable with the last status, after all attempts', async () => {
    const down = await backend((_req, res) => json(res, 503, 'upstream connect error'));
    const result = await triage({ traceId, sources: [new TempoSource({ name: 'tempo', url: down.url, retries: 1, backoffMs: 5 })] });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'trace unavailable (HTTP 503: upstream connect error (after 2 attempts))' });
    expect(down.requests).toHaveLength(2);
  });

  it('reports refused credentials and refused connections as unavailable', async () => {
    const locked = await backend((_req, res) => json(res, 401, 'unauthorized'));
    const gone = await fakeBackend(never);
    await gone.close();
    const result = await triage({
      traceId,
      sources: [new JaegerSource({ name: 'locked', url: locked.url, retries: 0 }), new JaegerSource({ name: 'gone', url: gone.url, retries: 0 })],
    });
    expect(result.status).toBe('unavailable');
    expect(result.status !== 'found' && result.reason).toMatch(/locked: HTTP 401: the backend refused our credentials/);
    expect(result.status !== 'found' && result.reason).toMatch(/gone: connection refused by 127\.0\.0\.1/);
  });

  it('answers from the fastest source that has the trace without waiting for a slow one', async () => {
    const slow = await backend(never);
    const fast = await backend((_req, res) => json(res, 200, serialise(cascade.scenario, 'tempo')));
    const started = Date.now();
    const result = await triage({
      traceId,
      sources: [new JaegerSource({ name: 'slow', url: slow.url }), new TempoSource({ name: 'fast', url: fast.url })],
    });
    expect(result).toMatchObject({ status: 'found', source: 'fast' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops when the caller cancels, with an answer rather than an exception', async () => {
    const slow = await backend(never);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await triage({ traceId, sources: [new JaegerSource({ name: 'j', url: slow.url })], signal: controller.signal });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'trace unavailable (cancelled)' });
  });

  it('says so when a backend answers with something that is not a trace', async () => {
    const odd = await backend((_req, res) => json(res, 200, '<html>login</html>'));
    const result = await triage({ traceId, sources: [new JaegerSource({ name: 'j', url: odd.url })] });
    expect(result.status !== 'found' && result.reason).toMatch(/not a trace: not JSON/);
  });
});

describe('file and upload source', () => {
  it('reads a collector file export and picks the requested trace', async () => {
    const upload = FileTraceSource.fromText(serialise(cascade.scenario, 'otlp-file'), 'upload.json');
    expect(await triage({ traceId: traceId.toUpperCase(), sources: [upload] })).toMatchObject({ status: 'found', origin: { service: 'user-directory' } });
    expect(await triage({ traceId: 'ffff', sources: [upload] })).toMatchObject({ status: 'not_found', reason: 'trace not found (trace ffff is not in upload.json)' });
  });

  it('reports a missing file as unavailable rather than throwing', async () => {
    const result = await triage({ traceId, sources: [FileTraceSource.fromPath('/nowhere/trace.json')] });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'trace unavailable (cannot read /nowhere/trace.json (ENOENT))' });
  });
});

describe('trace-sources file', () => {
  const yaml = `
sources:
  - name: jaeger-prod
    kind: jaeger
    url: http://jaeger:16686
    uiUrl: https://jaeger.example/trace/{traceId}
    auth: { bearer: "\${JAEGER_TOKEN}" }
  - name: tempo
    kind: tempo
    url: http://tempo:3200
    timeoutMs: 1500
    retries: 0
    orgId: tenant-a
    auth: { basic: { username: sitrep, password: "\${TEMPO_PASSWORD}" } }
`;

  it('reads sources with defaults and credentials from the environment', () => {
    const sources = parseTraceSources(yaml, 'trace-sources.yaml', { JAEGER_TOKEN: 'tok', TEMPO_PASSWORD: 'pw' });
    expect(sources[0]).toMatchObject({ name: 'jaeger-prod', kind: 'jaeger', timeoutMs: 2000, retries: 2, auth: { bearer: 'tok' } });
    expect(sources[1]).toMatchObject({ timeoutMs: 1500, retries: 0, orgId: 'tenant-a', auth: { basic: { username: 'sitrep', password: 'pw' } } });
    const tempo = createTraceSource(sources[1]!);
    expect(tempo).toBeInstanceOf(TempoSource);
    expect(createTraceSource(sources[0]!).traceUrl('abc')).toBe('https://jaeger.example/trace/abc');
  });

  it('names the file and the missing environment variable', () => {
    expect(() => parseTraceSources(yaml, 'trace-sources.yaml', { JAEGER_TOKEN: 'tok' })).toThrow(
      'trace-sources.yaml: environment variable TEMPO_PASSWORD is not set',
    );
  });

  it('rejects an unknown kind, naming the file and the field', () => {
    const err = (() => {
      try {
        parseTraceSources('- { name: x, kind: honeycomb, url: "http://x" }', 'sources.yaml');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(SourcesConfigError);
    expect((err as Error).message).toMatch(/^sources\.yaml: 0\.kind: .*expected a list of \{name, kind: jaeger\|tempo\|zipkin, url\}/);
  });
});
