import { describe, expect, it } from 'vitest';
import { analyseTrace, parseTraceText } from '../../../src/triage/index.js';
import { analyseWindow } from '../../../src/triage/window.js';
import { CHAT_PICTURE_ROWS, fewerRows, tracePicture, PICTURE_MAX_ROWS } from '../../../src/triage/picture.js';
import { tracePictureSvg } from '../../../src/triage/render/waterfall.js';
import { svgToPng } from '../../../src/triage/render/png.js';
import { tracePictureSchema } from '../../../src/domain/trace-picture.js';
import { serialise, type Scenario, type ScenarioSpan } from '../helpers/scenario.js';

// The checkout outage: storefront answers 500 because checkout does, because payments cannot reach
// its database (which left no span: triage names it from the caller's client span). Recommendations
// is slow but fine and must not be on the failure path.
function checkoutOutage(traceId = '0af7651916cd43dd8448eb211c80319c', extra: ScenarioSpan[] = []): Scenario {
  return {
    name: 'checkout outage',
    traceId,
    spans: [
      { id: 'root', service: 'storefront', name: 'POST /checkout', kind: 'server', start: 0, duration: 420, http: 500, error: 'HTTP 500' },
      { id: 'rec-c', parent: 'root', service: 'storefront', name: 'GET /recommendations', kind: 'client', start: 5, duration: 180, http: 200, peer: 'recommendations' },
      { id: 'rec-s', parent: 'rec-c', service: 'recommendations', name: 'GET /recommendations', kind: 'server', start: 6, duration: 178, http: 200 },
      { id: 'co-c', parent: 'root', service: 'storefront', name: 'POST /orders', kind: 'client', start: 190, duration: 220, http: 500, error: 'HTTP 500', peer: 'checkout' },
      { id: 'co-s', parent: 'co-c', service: 'checkout', name: 'POST /orders', kind: 'server', start: 192, duration: 216, http: 500, error: 'HTTP 500' },
      { id: 'pay-c', parent: 'co-s', service: 'checkout', name: 'Charge', kind: 'client', start: 200, duration: 200, grpc: 14, error: 'UNAVAILABLE', peer: 'payments' },
      { id: 'pay-s', parent: 'pay-c', service: 'payments', name: 'Charge', kind: 'server', start: 202, duration: 196, grpc: 14, error: 'UNAVAILABLE' },
      { id: 'db', parent: 'pay-s', service: 'payments', name: 'SELECT cards', kind: 'client', start: 205, duration: 190, error: 'connection refused: payments-db:5432', peer: 'payments-db' },
      ...extra,
    ],
  };
}

const spansOf = (s: Scenario) => parseTraceText(serialise(s, 'jaeger')).spans;

function pictureOf(s: Scenario) {
  const spans = spansOf(s);
  const verdict = analyseTrace(spans, { traceId: s.traceId, source: 'jaeger' });
  return tracePicture(spans, verdict);
}

/** The attributes of every element matching a tag with a class, in document order. */
function elements(svg: string, tag: string, cls: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  for (const m of svg.matchAll(new RegExp(`<${tag} ([^>]*)>`, 'g'))) {
    const attrs = Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    if ((attrs.class ?? '').split(' ').includes(cls)) found.push(attrs);
  }
  return found;
}

describe('the trace picture of a checkout outage', () => {
  it('draws one lane per service, entry service first', () => {
    const svg = tracePictureSvg(pictureOf(checkoutOutage()));
    const lanes = [...svg.matchAll(/<g class="service-lane" data-service="([^"]+)"/g)].map((m) => m[1]);
    expect(lanes).toEqual(['storefront', 'recommendations', 'checkout', 'payments']);
    expect(svg).toContain('aria-label="storefront: 3 spans"');
  });

  it('highlights the failure path from storefront down to the payments database call, and nothing else', () => {
    const picture = pictureOf(checkoutOutage());
    expect(picture.spans.filter((s) => s.onPath).map((s) => `${s.service} ${s.operation}`)).toEqual([
      'storefront POST /checkout',
      'storefront POST /orders',
      'checkout POST /orders',
      'checkout Charge',
      'payments Charge',
      'payments SELECT cards',
    ]);
    const svg = tracePictureSvg(picture);
    const pathRows = elements(svg, 'g', 'path');
    expect(pathRows).toHaveLength(6);
    // The recommendations call took long but answered 200: drawn, not highlighted, not marked failed.
    const recommendations = picture.spans.find((s) => s.service === 'recommendations')!;
    expect(recommendations.onPath).toBe(false);
    expect(elements(svg, 'g', 'row').find((g) => g['data-span'] === recommendations.id)!.class).toBe('row');
    // The joined path: five links down from caller to callee.
    const link = elements(svg, 'path', 'failure-path')[0]!;
    expect(link.d!.match(/M/g)).toHaveLength(5);
  });

  it('marks the failed spans, rings the origin and writes the evidence under the picture', () => {
    const picture = pictureOf(checkoutOutage());
    const svg = tracePictureSvg(picture, { title: 'INC-7 · Checkout failing' });
    expect(elements(svg, 'rect', 'failed')).toHaveLength(picture.spans.filter((s) => s.failed).length);
    expect((svg.match(/class="cross"/g) ?? []).length).toBe(picture.spans.filter((s) => s.failed).length);
    const origin = picture.spans.find((s) => s.origin)!;
    expect(`${origin.service} ${origin.operation}`).toBe('payments SELECT cards');
    expect(elements(svg, 'rect', 'ring')).toHaveLength(1);
    expect(svg).toContain('Failure starts in payments-db: connection refused: payments-db:5432');
    expect(svg).toContain('Path: storefront 500 → checkout 500 → payments UNAVAILABLE → payments-db no span');
    // Accessible: a title and a description a screen reader announces, hover titles on the bars.
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="picture-title picture-desc"/);
    expect(svg).toContain('<title id="picture-title">INC-7 · Checkout failing</title>');
    expect(svg).toContain('<title>payments SELECT cards: error, 190 ms, origin, failed</title>');
  });

  it('reads in light and dark mode: the browser picture follows the viewer, the PNG is fixed light', () => {
    const picture = pictureOf(checkoutOutage());
    expect(tracePictureSvg(picture)).toContain('@media (prefers-color-scheme: dark)');
    expect(tracePictureSvg(picture, { theme: 'light' })).not.toContain('@media');
  });

  it('escapes what the trace says: an operation name cannot inject markup', () => {
    const picture = pictureOf(checkoutOutage(undefined, [{ id: 'evil', parent: 'root', service: 'storefront', name: '<script>alert(1)</script>', kind: 'internal', start: 1, duration: 1 }]));
    const svg = tracePictureSvg(picture);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
  });
});

describe('a 10,000-span trace', () => {
  // A batch endpoint fanning out to 9,990 cache reads, one of which times out in the inventory service.
  const big = (): Scenario => {
    const extra: ScenarioSpan[] = [];
    for (let i = 0; i < 9992; i++) {
      extra.push({ id: `c${i}`, parent: 'co-s', service: i % 2 ? 'cache' : 'inventory', name: `GET item ${i}`, kind: 'client', start: 193 + (i % 200), duration: 1 + (i % 7) });
    }
    return checkoutOutage('1af7651916cd43dd8448eb211c80319c', extra);
  };

  it('keeps the failure path and failed spans within the row cap, says what it left out, and stays fast', () => {
    const spans = spansOf(big());
    expect(spans.length).toBe(10_000);
    const t0 = performance.now();
    const verdict = analyseTrace(spans, { traceId: big().traceId });
    const t1 = performance.now();
    const picture = tracePicture(spans, verdict);
    const svg = tracePictureSvg(picture);
    const t2 = performance.now();
    expect(picture.spans.length).toBe(PICTURE_MAX_ROWS);
    expect(picture.totalSpans).toBe(10_000);
    expect(picture.spans.filter((s) => s.onPath)).toHaveLength(6);
    expect(picture.spans.filter((s) => s.failed).length).toBeGreaterThanOrEqual(6);
    expect(svg).toContain(`${PICTURE_MAX_ROWS} of 10000 spans`);
    // Stored with the incident: a few dozen KB, not the whole trace.
    expect(JSON.stringify(picture).length).toBeLessThan(30_000);
    expect(tracePictureSchema.parse(JSON.parse(JSON.stringify(picture)))).toEqual(picture);
    // The PNG for chat keeps fewer rows, the failure path first.
    const chat = fewerRows(picture);
    expect(chat.spans).toHaveLength(CHAT_PICTURE_ROWS);
    expect(chat.spans.filter((s) => s.onPath)).toHaveLength(6);
    expect(chat.spans.every((s) => s.parent === null || chat.spans.some((p) => p.id === s.parent))).toBe(true);
    // Picture and SVG well under the triage itself.
    expect(t2 - t1).toBeLessThan(Math.max(200, t1 - t0));
  });
});

describe('window triage', () => {
  it('draws the ranked suspects as bars with their evidence above the example trace', () => {
    const incident = Array.from({ length: 12 }, (_, i) => spansOf(checkoutOutage((0x100 + i).toString(16).padStart(32, '0'))));
    const healthy = (i: number): Scenario => ({
      ...checkoutOutage((0x900 + i).toString(16).padStart(32, '0')),
      spans: checkoutOutage().spans.map((s) => ({ ...s, error: undefined, http: s.http ? 200 : undefined, grpc: s.grpc ? 0 : undefined })),
    });
    const baseline = Array.from({ length: 12 }, (_, i) => spansOf(healthy(i)));
    const verdict = analyseWindow(incident, baseline, { source: 'tempo' });
    const example = incident.find((t) => t[0]!.traceId === verdict.traceId)!;
    const picture = tracePicture(example, verdict);
    expect(picture.mode).toBe('window');
    const svg = tracePictureSvg(picture);
    const suspects = [...svg.matchAll(/<g class="suspect" data-service="([^"]+)" data-rank="(\d+)"/g)].map((m) => m[1]);
    expect(suspects[0]).toBe('payments-db');
    expect(svg).toContain('Suspects: 12 incident traces weighed against 12 from before');
    expect(elements(svg, 'rect', 'score').length).toBe(suspects.length);
    expect(svg.indexOf('class="suspect"')).toBeLessThan(svg.indexOf('class="service-lane"'));
  });
});

describe('the PNG for chat', () => {
  it('is a real PNG of the SVG’s size (signature and IHDR)', () => {
    const svg = tracePictureSvg(pictureOf(checkoutOutage()), { theme: 'light' });
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    const { png, width: w, height: h } = svgToPng(svg, 2);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(2000);
    expect(png.readUInt32BE(20)).toBe(height * 2);
    expect([w, h]).toEqual([2000, height * 2]);
  });
});
