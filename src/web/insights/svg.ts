// Server-rendered SVG charts: no script, no CDN, styled by the page's stylesheet (CSP-friendly). Each
// point or bar is a link to its incidents and carries its figure in a <title>, which browsers show on hover.
import { escapeHtml } from './html.js';

export interface ChartPoint {
  label: string;
  /** Undefined: no value for this point (no incident had one); drawn as a gap, never as zero. */
  value?: number;
  href: string;
  /** The hover text: "2026-W13: MTTR median 40 min (n=12, 3 not applicable)". */
  title: string;
}

export interface Series {
  name: string;
  /** A CSS class (series-0, series-1…): colours live in the stylesheet. */
  cls: string;
  points: ChartPoint[];
}

const W = 720;
const H = 240;
const PAD = { left: 64, right: 16, top: 16, bottom: 40 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= max) ?? 10;
  return step * magnitude;
}

function axes(max: number, format: (v: number) => string, labels: string[], ariaLabel: string): string[] {
  const out = [`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(ariaLabel)}">`];
  for (const f of [0, 0.5, 1]) {
    const y = PAD.top + plotH * (1 - f);
    out.push(`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/>`, `<text class="tick" x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${escapeHtml(format(max * f))}</text>`);
  }
  const every = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((label, i) => {
    if (i % every) return;
    const x = PAD.left + (plotW * (i + 0.5)) / labels.length;
    out.push(`<text class="tick" x="${x.toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`);
  });
  return out;
}

/** Bars, one per point, each a link to its incidents. */
export function barChart(ariaLabel: string, points: ChartPoint[], format: (v: number) => string, cls = 'series-0'): string {
  const max = niceMax(Math.max(0, ...points.map((p) => p.value ?? 0)));
  const out = axes(max, format, points.map((p) => p.label), ariaLabel);
  const slot = plotW / Math.max(1, points.length);
  points.forEach((p, i) => {
    if (p.value === undefined) return;
    const h = (plotH * p.value) / max;
    const x = PAD.left + slot * i + slot * 0.15;
    out.push(
      `<a href="${escapeHtml(p.href)}"><rect class="bar ${cls}" x="${x.toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${Math.max(h, 0.5).toFixed(1)}"><title>${escapeHtml(p.title)}</title></rect></a>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/** Trend lines; a point without a value breaks its line instead of dropping to zero. */
export function lineChart(ariaLabel: string, series: Series[], format: (v: number) => string): string {
  const labels = series[0]?.points.map((p) => p.label) ?? [];
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.value ?? 0))));
  const out = axes(max, format, labels, ariaLabel);
  const xOf = (i: number) => PAD.left + (plotW * (i + 0.5)) / Math.max(1, labels.length);
  const yOf = (v: number) => PAD.top + plotH * (1 - v / max);
  for (const s of series) {
    let path = '';
    let pen = false;
    s.points.forEach((p, i) => {
      if (p.value === undefined) return void (pen = false);
      path += `${pen ? 'L' : 'M'}${xOf(i).toFixed(1)},${yOf(p.value).toFixed(1)}`;
      pen = true;
    });
    if (path) out.push(`<path class="line ${s.cls}" d="${path}"/>`);
    s.points.forEach((p, i) => {
      if (p.value === undefined) return;
      out.push(`<a href="${escapeHtml(p.href)}"><circle class="dot ${s.cls}" cx="${xOf(i).toFixed(1)}" cy="${yOf(p.value).toFixed(1)}" r="4"><title>${escapeHtml(p.title)}</title></circle></a>`);
    });
  }
  out.push('</svg>');
  if (series.length > 1) out.push(`<p class="legend">${series.map((s) => `<span class="key ${s.cls}">${escapeHtml(s.name)}</span>`).join(' ')}</p>`);
  return out.join('');
}
