// The trace picture of a 10,000-span trace: cut to the picture, drawn as SVG, rendered to PNG.
// Floor, measured in the same run on the same spans: building the span tree, the least any picture of
// the trace must do.
// Goal: picture + SVG ≤ 3× the tree. The PNG's time is printed beside triage's own analysis time.
//
//   npx tsx bench/trace-picture.ts [spans]

import { performance } from 'node:perf_hooks';
import { analyseTrace, buildTree, parseTraceJson } from '../src/triage/index.js';
import { fewerRows, tracePicture } from '../src/triage/picture.js';
import { svgToPng } from '../src/triage/render/png.js';
import { tracePictureSvg } from '../src/triage/render/waterfall.js';
import { interleave, median, reportRatio } from './floor.js';
import { generateTrace } from './triage.js';

const total = Number(process.argv[2] ?? 10_000);
const { doc } = generateTrace(total);
const spans = parseTraceJson(doc).spans;
const verdict = analyseTrace(spans);
const time = (work: () => unknown) => async () => {
  const t = performance.now();
  work();
  return performance.now() - t;
};
const picture = () => tracePictureSvg(tracePicture(spans, verdict), { title: 'INC-1 · bench' });

const drawn = picture();
const png = svgToPng(tracePictureSvg(fewerRows(tracePicture(spans, verdict)), { theme: 'light' }));
console.log(`  ${spans.length} spans → ${tracePicture(spans, verdict).spans.length} rows (PNG for chat: ${fewerRows(tracePicture(spans, verdict)).spans.length}), SVG ${(drawn.length / 1024).toFixed(0)} KB, PNG ${png.width}×${png.height} ${(png.png.length / 1024).toFixed(0)} KB, stored picture ${(JSON.stringify(tracePicture(spans, verdict)).length / 1024).toFixed(0)} KB`);

reportRatio({
  bench: 'trace-picture',
  measure: `picture + SVG of ${total} spans`,
  unit: 'ms',
  pairs: await interleave({ rounds: 7, warmup: 2, floor: time(() => buildTree(spans)), subject: time(picture) }),
  goal: 3,
  kind: 'max',
  goalBy: 'ours',
});
// The PNG has no floor of the same work here (resvg is the renderer); it runs once per triage, in the
// background after the verdict is posted, so it is reported as a time, not held to a ratio.
const pngTimes: number[] = [];
for (let i = 0; i < 3; i++) pngTimes.push(await time(() => svgToPng(tracePictureSvg(fewerRows(tracePicture(spans, verdict)), { theme: 'light' })))());
console.log(`  picture + SVG + PNG of ${total} spans: ${median(pngTimes).toFixed(0)} ms (median of 3; triage's own analysis of the trace: ${(await time(() => analyseTrace(spans))()).toFixed(0)} ms)`);
