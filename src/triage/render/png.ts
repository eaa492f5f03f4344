import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

// SVG to PNG for chat, where an SVG would not show inline. resvg is a Rust renderer with prebuilt
// binaries (no headless browser, no system libraries); it gets the font shipped under assets/ and no
// system fonts, so the picture looks the same on a laptop and in the slim container image.

const FONT_FILE = fileURLToPath(new URL('../../../assets/fonts/DejaVuSans.ttf', import.meta.url));

export interface Png {
  png: Buffer;
  width: number;
  height: number;
}

/** Renders at `scale` (2: crisp on high-density screens, which is how chat shows images). */
export function svgToPng(svg: string, scale = 1): Png {
  const resvg = new Resvg(svg, {
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
