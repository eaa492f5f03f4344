import type { PictureSpan, TracePicture } from '../../domain/trace-picture.js';
import { formatMicros } from '../duration.js';

// The trace picture as one self-contained SVG, drawn on the server: the same document is the console's
// image, its download, and (through resvg) the PNG posted in the incident room. Spans are bars in
// lanes, one lane per service; the failure path from the entry span to the origin is drawn thick and
// joined, failed spans are red with a cross, and the evidence is written underneath. Colours are CSS
// classes in an embedded stylesheet, so the picture follows the viewer's light or dark mode.

export interface PictureOptions {
  /** `auto` follows prefers-color-scheme (browsers); `light`/`dark` fixed (PNG: resvg has no media queries). */
  theme?: 'auto' | 'light' | 'dark';
  /** Heading above the picture, e.g. "INC-42 · Checkout failing". */
  title?: string;
}

export const PICTURE_WIDTH = 1000;
const FONT = 'DejaVu Sans, Verdana, sans-serif';
const PAD = 16;
const LABEL_W = 300;
const ROW_H = 18;
const BAR_H = 12;
const CHAR_W = 6.6; // DejaVu Sans at 11 px, average; labels are cut to fit by this
const PLOT_X = PAD + LABEL_W;
const PLOT_W = PICTURE_WIDTH - PLOT_X - PAD - 24; // room for the failure cross after a bar ending at the edge

const LIGHT = {
  bg: '#ffffff', fg: '#1d1d1f', muted: '#5f6368', grid: '#e3e3e8', lane: '#f4f5f8',
  bar: '#8aa4c8', path: '#0b57d0', failed: '#c5221f', origin: '#c5221f', score: '#0b57d0', latency: '#b06000',
};
const DARK = {
  bg: '#121317', fg: '#e8e8ea', muted: '#a8abb3', grid: '#34363d', lane: '#1b1c21',
  bar: '#5b7396', path: '#8ab4f8', failed: '#f28b82', origin: '#f28b82', score: '#8ab4f8', latency: '#fdd663',
};

function palette(c: typeof LIGHT): string {
  return [
    `.bg{fill:${c.bg}}`,
    `text{fill:${c.fg};font-family:${FONT};font-size:11px}`,
    `.muted{fill:${c.muted}}`,
    `.h{font-size:14px}`,
    `.grid{stroke:${c.grid};stroke-width:1}`,
    `.lane{fill:${c.lane}}`,
    `.span{fill:${c.bar}}`,
    `.span.path{fill:${c.path};stroke:${c.path};stroke-width:2}`,
    `.span.failed{fill:${c.failed}}`,
    `.link{stroke:${c.path};stroke-width:2;fill:none}`,
    `.ring{stroke:${c.path};stroke-width:2;fill:none}`,
    `.cross{fill:${c.failed};font-size:12px}`,
    `.origin{fill:${c.origin}}`,
    `.score{fill:${c.score}}`,
    `.score.latency{fill:${c.latency}}`,
  ].join('');
}

function stylesheet(theme: NonNullable<PictureOptions['theme']>): string {
  if (theme === 'light') return palette(LIGHT);
  if (theme === 'dark') return palette(DARK);
  return `${palette(LIGHT)}@media (prefers-color-scheme: dark){${palette(DARK)}}`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Cut to what fits in `width` pixels, with an ellipsis. */
function fit(text: string, width: number): string {
  const max = Math.max(1, Math.floor(width / CHAR_W));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Lines of at most `width` pixels, breaking at spaces. */
function wrap(text: string, width: number, maxLines = 6): string[] {
  const max = Math.max(10, Math.floor(width / CHAR_W));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (!word) continue;
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word.length > max ? fit(word, width) : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) return [...lines.slice(0, maxLines - 1), fit(`${lines[maxLines - 1]} …`, width)];
  return lines;
}

/** Tick step in µs: 1, 2 or 5 × 10^k, about eight ticks across. */
function tickStep(totalUs: number): number {
  const rough = Math.max(1, totalUs / 8);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 5, 10].find((s) => s * magnitude >= rough) ?? 10) * magnitude;
}

const num = (v: number) => (Math.round(v * 10) / 10).toString();

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
}

/** What a person reads on hover (and a screen reader in the console). */
function spanTitle(span: PictureSpan): string {
  const notes = [span.status, formatMicros(span.durationUs), span.origin ? 'origin' : span.onPath ? 'on the failure path' : null, span.failed ? 'failed' : null];
  return `${span.service} ${span.operation}: ${notes.filter(Boolean).join(', ')}`;
}

/** The waterfall rows; returns the SVG parts and the height used. */
function waterfall(picture: TracePicture, top: number): { parts: string[]; height: number } {
  const parts: string[] = [];
  const spans = picture.spans;
  const total = Math.max(1, picture.durationUs);
  const xOf = (us: number) => PLOT_X + (PLOT_W * us) / total;
  const axisY = top + 14;
  const rowsTop = axisY + 8;
  const height = rowsTop - top + spans.length * ROW_H;

  // Time axis: ticks over the whole height, labels on top.
  const step = tickStep(total);
  parts.push(`<g class="axis" aria-hidden="true">`);
  for (let t = 0; t <= total + 1e-6; t += step) {
    const x = xOf(t);
    parts.push(`<line class="grid" x1="${num(x)}" x2="${num(x)}" y1="${num(axisY + 2)}" y2="${num(top + height)}"/>`, text(x, axisY, t === 0 ? '0' : formatMicros(t), 'class="muted tick" text-anchor="middle"'));
  }
  parts.push('</g>');

  // Lanes: one band per service, its name on the band's first row.
  const rowOf = new Map<string, number>();
  spans.forEach((s, i) => rowOf.set(s.id, i));
  let laneStart = 0;
  let laneNo = 0;
  for (let i = 0; i <= spans.length; i++) {
    if (i < spans.length && (i === 0 || spans[i]!.service === spans[i - 1]!.service)) continue;
    const service = spans[laneStart]!.service;
    const y = rowsTop + laneStart * ROW_H;
    const rows = i - laneStart;
    parts.push(
      `<g class="service-lane" data-service="${escapeXml(service)}" role="group" aria-label="${escapeXml(`${service}: ${rows} span${rows === 1 ? '' : 's'}`)}">`,
      laneNo % 2 === 0 ? `<rect class="lane" x="${PAD}" y="${num(y)}" width="${PICTURE_WIDTH - 2 * PAD}" height="${rows * ROW_H}"/>` : '',
      text(PAD + 4, y + 13, fit(service, 120), 'class="service-name"'),
    );
    for (let r = laneStart; r < i; r++) parts.push(spanRow(spans[r]!, rowsTop + r * ROW_H, xOf));
    parts.push('</g>');
    laneStart = i;
    laneNo++;
  }

  // The failure path, joined: from each caller's bar down to its callee's, entry first.
  const path = spans.filter((s) => s.onPath);
  const links: string[] = [];
  for (const s of path) {
    const parent = s.parent !== null ? rowOf.get(s.parent) : undefined;
    if (parent === undefined || !spans[parent]!.onPath) continue;
    const x = xOf(s.offsetUs);
    const y1 = rowsTop + parent * ROW_H + ROW_H / 2;
    const y2 = rowsTop + rowOf.get(s.id)! * ROW_H + ROW_H / 2;
    links.push(`M${num(x)},${num(y1)}V${num(y2)}`);
  }
  if (links.length) parts.push(`<path class="link failure-path" d="${links.join('')}" aria-hidden="true"/>`);
  return { parts, height };
}

function spanRow(span: PictureSpan, y: number, xOf: (us: number) => number): string {
  const x = xOf(span.offsetUs);
  const w = Math.max(2, xOf(span.offsetUs + span.durationUs) - x);
  const cls = ['span', span.onPath ? 'path' : '', span.failed ? 'failed' : '', span.origin ? 'is-origin' : ''].filter(Boolean).join(' ');
  const by = y + (ROW_H - BAR_H) / 2;
  const label = fit(span.operation, LABEL_W - 132);
  const out = [
    `<g class="${cls.replace('span', 'row')}" data-span="${escapeXml(span.id)}">`,
    `<title>${escapeXml(spanTitle(span))}</title>`,
    text(PAD + 128, y + 13, label, `class="${span.onPath ? 'op' : 'op muted'}"`),
    `<rect class="${cls}" x="${num(x)}" y="${num(by)}" width="${num(w)}" height="${BAR_H}" rx="2"/>`,
  ];
  if (span.origin) out.push(`<rect class="ring" x="${num(x - 2)}" y="${num(by - 2)}" width="${num(w + 4)}" height="${BAR_H + 4}" rx="3"/>`);
  if (span.failed) out.push(text(x + w + 3, y + 13, '✕', 'class="cross" aria-hidden="true"'));
  out.push('</g>');
  return out.join('');
}

/** Window mode: the suspect services as bars of their score, each with its evidence. */
function rankedChart(picture: TracePicture, top: number): { parts: string[]; height: number } {
  const ranked = picture.evidence.ranked.slice(0, 8);
  const parts: string[] = [];
  let y = top;
  const w = picture.evidence.window;
  parts.push(text(PAD, y + 12, w ? `Suspects: ${w.traces} incident traces weighed against ${w.baselineTraces} from before` : 'Suspects, best first', 'class="h"'));
  y += 24;
  const barW = PICTURE_WIDTH - PLOT_X - PAD - 60;
  for (const [rank, s] of ranked.entries()) {
    const evidence = s.evidence.slice(0, 2).flatMap((e) => wrap(e, PICTURE_WIDTH - PLOT_X - PAD, 2));
    parts.push(
      `<g class="suspect" data-service="${escapeXml(s.service)}" data-rank="${rank + 1}"><title>${escapeXml(`${s.service}: score ${s.score.toFixed(2)} (${s.kind}). ${s.evidence.join('; ')}`)}</title>`,
      text(PAD, y + 13, fit(`${rank + 1}. ${s.service}`, LABEL_W - 8), 'class="service-name"'),
      `<rect class="score ${s.kind}" x="${PLOT_X}" y="${num(y + 3)}" width="${num(Math.max(2, barW * s.score))}" height="${BAR_H}" rx="2"/>`,
      text(PLOT_X + Math.max(2, barW * s.score) + 6, y + 13, `${s.score.toFixed(2)} ${s.kind}`, 'class="muted"'),
    );
    y += ROW_H;
    for (const line of evidence) {
      parts.push(text(PLOT_X, y + 12, line, 'class="muted evidence"'));
      y += 15;
    }
    parts.push('</g>');
    y += 4;
  }
  return { parts, height: y - top };
}

/** The verdict in words, under the picture: the line chat shows, the path, and why. */
function evidenceBlock(picture: TracePicture, top: number): { parts: string[]; height: number } {
  const e = picture.evidence;
  const width = PICTURE_WIDTH - 2 * PAD;
  const parts = ['<g class="evidence-text">'];
  let y = top;
  const line = (content: string, cls = '') => {
    parts.push(text(PAD, y + 12, content, cls ? `class="${cls}"` : ''));
    y += 16;
  };
  if (e.origin) {
    parts.push(`<circle class="origin" cx="${PAD + 5}" cy="${y + 8}" r="5"/>`);
    parts.push(text(PAD + 16, y + 13, fit(`${e.origin.kind === 'latency' ? 'Latency suspect' : 'Failure starts in'} ${e.origin.service}${e.origin.message ? `: ${e.origin.message}` : ''}`, width - 16), 'class="h"'));
    y += 22;
  } else {
    line('No origin found: nothing failed and nothing stands out on the critical path.', 'h');
  }
  if (e.path.length) for (const l of wrap(`Path: ${e.path.map((h) => `${h.service} ${h.status}`).join(' → ')}`, width, 3)) line(l);
  line(`Confidence ${e.confidenceLevel} (${e.confidence.toFixed(2)})`, 'muted');
  for (const reason of e.reasons.slice(0, 4)) for (const l of wrap(`• ${reason}`, width, 2)) line(l, 'muted');
  parts.push('</g>');
  return { parts, height: y - top };
}

/** The whole picture: heading, suspects (window mode), waterfall, evidence. */
export function tracePictureSvg(picture: TracePicture, options: PictureOptions = {}): string {
  const body: string[] = [];
  let y = PAD;
  const heading = options.title ?? `Trace ${picture.traceId}`;
  body.push(text(PAD, y + 14, fit(heading, PICTURE_WIDTH - 2 * PAD), 'class="h"'));
  y += 22;
  const shown = picture.spans.length;
  const facts = [
    picture.mode === 'window' ? `example trace ${picture.traceId}` : `trace ${picture.traceId}`,
    picture.source ? `from ${picture.source}` : null,
    shown ? formatMicros(picture.durationUs) : null,
    shown ? (shown < picture.totalSpans ? `${shown} of ${picture.totalSpans} spans: the failure path, failed spans and the longest others` : `${shown} spans`) : null,
  ].filter(Boolean);
  body.push(text(PAD, y + 12, fit(facts.join(' · '), PICTURE_WIDTH - 2 * PAD), 'class="muted"'));
  y += 22;

  if (picture.mode === 'window' && picture.evidence.ranked.length) {
    const ranked = rankedChart(picture, y);
    body.push(...ranked.parts);
    y += ranked.height + 8;
  }
  if (shown) {
    const drawn = waterfall(picture, y);
    body.push(...drawn.parts);
    y += drawn.height + 12;
  }
  const evidence = evidenceBlock(picture, y);
  body.push(...evidence.parts);
  y += evidence.height + PAD;

  const height = Math.ceil(y);
  const label = `${heading}. ${picture.evidence.summary}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PICTURE_WIDTH}" height="${height}" viewBox="0 0 ${PICTURE_WIDTH} ${height}" role="img" aria-labelledby="picture-title picture-desc">`,
    `<title id="picture-title">${escapeXml(heading)}</title>`,
    `<desc id="picture-desc">${escapeXml(label)}</desc>`,
    `<style>${stylesheet(options.theme ?? 'auto')}</style>`,
    `<rect class="bg" width="100%" height="100%"/>`,
    ...body,
    '</svg>',
  ].join('');
}
