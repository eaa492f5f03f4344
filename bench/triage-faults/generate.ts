// Fault-injection trace generator for triage accuracy work (issue 11). Synthetic data modelled on
// the public RCA testbeds (TrainTicket, Online Boutique); see README.md beside this file.
//
//   npx tsx bench/triage-faults/generate.ts --out DIR [--seed N] [--cases-per-type N]
//       [--incident N] [--baseline N] [--max-per-file N] [--types exception,cpu,...] [--perf]

import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { CASE_TYPES, DEFAULTS, generateDataset, type CaseType, type GenerateOptions } from './dataset.js';

const USAGE = `usage: npx tsx bench/triage-faults/generate.ts --out DIR [--seed N] [--cases-per-type N] [--incident N] [--baseline N] [--max-per-file N] [--types ${CASE_TYPES.join(',')}] [--perf]

  --perf   one case with a window of 500 incident traces and 2,000 baseline traces (the speed goal)`;

/** The --perf preset: the speed goal, one window of 500 incident + 2,000 baseline traces. */
export const PERF: Partial<GenerateOptions> = { casesPerType: 1, incident: 500, baseline: 2000, types: ['network-delay'] };

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, not "${raw}"`);
  return n;
}

export function parseOptions(argv: string[]): GenerateOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      seed: { type: 'string' },
      'cases-per-type': { type: 'string' },
      incident: { type: 'string' },
      baseline: { type: 'string' },
      'max-per-file': { type: 'string' },
      types: { type: 'string' },
      perf: { type: 'boolean', default: false },
    },
  });
  if (!values.out) throw new Error('--out DIR is required');
  const base = { ...DEFAULTS, ...(values.perf ? PERF : {}) };
  const types = values.types ? (values.types.split(',').map((t) => t.trim()) as CaseType[]) : base.types;
  const unknown = types.find((t) => !CASE_TYPES.includes(t));
  if (unknown) throw new Error(`--types: unknown fault type "${unknown}"; known: ${CASE_TYPES.join(', ')}`);
  return {
    out: values.out,
    seed: count('seed', values.seed, base.seed, 0),
    casesPerType: count('cases-per-type', values['cases-per-type'], base.casesPerType, 1),
    incident: count('incident', values.incident, base.incident, 1),
    baseline: count('baseline', values.baseline, base.baseline, 0),
    maxPerFile: count('max-per-file', values['max-per-file'], base.maxPerFile, 1),
    types,
  };
}

function main(): number {
  let opts: GenerateOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`generate: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  // Regenerating into the same folder must not leave stale cases from an earlier seed behind.
  rmSync(`${opts.out}/cases`, { recursive: true, force: true });
  const started = performance.now();
  const cases = generateDataset(opts);
  const traces = cases.reduce((a, c) => a + c.incidentTraces + c.baselineTraces, 0);
  console.log(`${cases.length} cases, ${traces} traces written to ${opts.out} in ${Math.round(performance.now() - started)} ms (seed ${opts.seed})`);
  for (const c of cases) console.log(`  ${c.id}  ${c.injected}  ${c.affectedTraces}/${c.incidentTraces} incident traces affected  [${c.formats.join(',')}${c.kinds ? '' : ', no kinds'}]`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
