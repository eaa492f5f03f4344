import type { RgbaImage } from './png.js';

/** sitrep's accent: the red of an alarm light. */
export const ACCENT = { hex: '#C4314B', rgb: [0xc4, 0x31, 0x4b] as const };

type Point = [number, number];

/** Coverage of the glyph (an alarm light with three rays) at a point of the unit square, 0 or 1. */
function inGlyph(x: number, y: number): boolean {
  const dome = y <= 0.56 && (x - 0.5) ** 2 + (y - 0.56) ** 2 <= 0.2 ** 2;
  const body = x >= 0.3 && x <= 0.7 && y >= 0.56 && y <= 0.7;
  const base = x >= 0.22 && x <= 0.78 && y >= 0.73 && y <= 0.82;
  const rays: [Point, Point][] = [
    [[0.5, 0.1], [0.5, 0.22]],
    [[0.17, 0.22], [0.26, 0.31]],
    [[0.83, 0.22], [0.74, 0.31]],
  ];
  return dome || body || base || rays.some(([a, b]) => distanceToSegment([x, y], a, b) <= 0.035);
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Glyph coverage per pixel (4×4 supersampled), the glyph scaled to `scale` of the image and centred. */
function coverage(size: number, scale: number): Float64Array {
  const out = new Float64Array(size * size);
  const margin = (1 - scale) / 2;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const u = ((px + (sx + 0.5) / 4) / size - margin) / scale;
          const v = ((py + (sy + 0.5) / 4) / size - margin) / scale;
          if (inGlyph(u, v)) hits++;
        }
      }
      out[py * size + px] = hits / 16;
    }
  }
  return out;
}

/** The 192×192 colour icon: the white glyph on a full-bleed accent background. */
export function colorIcon(size = 192): RgbaImage {
  const cover = coverage(size, 0.6);
  const pixels = new Uint8Array(size * size * 4);
  cover.forEach((c, i) => {
    pixels.set([...ACCENT.rgb.map((v) => Math.round(v + (255 - v) * c)), 255], i * 4);
  });
  return { width: size, height: size, pixels };
}

/** The 32×32 outline icon: white only, on a transparent background (what Teams requires). */
export function outlineIcon(size = 32): RgbaImage {
  const cover = coverage(size, 0.9);
  const pixels = new Uint8Array(size * size * 4);
  cover.forEach((c, i) => pixels.set([255, 255, 255, Math.round(c * 255)], i * 4));
  return { width: size, height: size, pixels };
}
