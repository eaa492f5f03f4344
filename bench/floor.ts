// Shared by every benchmark (issue 19): measure sitrep and its floor in the same run, interleaved,
// report the median ratio with ok/MISSED, and leave a line for `npm run bench`'s closing table.
//
// A floor is what the hardware and Redis allow for the same work (raw XADD, JSON.parse, a bare Bolt
// app…). Absolute times don't travel between machines; the ratio to a floor measured beside them does.

import { appendFileSync } from 'node:fs';

export interface Pair {
  /** sitrep's figure for one round (ms, p99 ms, events/s… — same unit as the floor). */
  subject: number;
  floor: number;
}

export interface Ratio {
  bench: string;
  /** What is compared, e.g. "append events/s" or "ack p99 ms". */
  measure: string;
  unit: string;
  subject: number;
  floor: number;
  /** subject ÷ floor for times; floor ÷ subject is never used: throughput goals are "≥", times "≤". */
  ratio: number;
  goal: number;
  /** 'max': ratio must be ≤ goal (times, memory). 'min': ratio must be ≥ goal (throughput). */
  kind: 'max' | 'min';
  /** 'issue': the goal issue 19 (or the alerts issue) set; 'ours': one we set where an issue gave only an absolute goal. */
  goalBy: 'issue' | 'ours';
  ok: boolean;
  rounds: number;
}

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

/**
 * Runs floor and subject alternately (floor, subject, floor, subject…) after `warmup` unmeasured
 * rounds of each, so a noisy neighbour hits both sides alike. Each side returns its figure.
 */
export async function interleave(opts: {
  rounds: number;
  warmup?: number;
  floor: () => Promise<number>;
  subject: () => Promise<number>;
}): Promise<Pair[]> {
  for (let i = 0; i < (opts.warmup ?? 1); i++) {
    await opts.floor();
    await opts.subject();
  }
  const pairs: Pair[] = [];
  for (let i = 0; i < opts.rounds; i++) {
    const floor = await opts.floor();
    const subject = await opts.subject();
    pairs.push({ subject, floor });
  }
  return pairs;
}

/**
 * The median of the per-round ratios (not the ratio of medians): each round's pair saw the same
 * machine state. Prints one line and records it for bench/run.ts's table.
 */
export function reportRatio(opts: {
  bench: string;
  measure: string;
  unit: string;
  pairs: readonly Pair[];
  goal: number;
  kind: 'max' | 'min';
  /** Default 'issue'. Our own ratio goals are shown beside the absolute goal, which is what decides. */
  goalBy?: 'issue' | 'ours';
}): Ratio {
  const ratio = median(opts.pairs.map((p) => p.subject / p.floor));
  const ok = opts.kind === 'max' ? ratio <= opts.goal : ratio >= opts.goal;
  const result: Ratio = {
    bench: opts.bench,
    measure: opts.measure,
    unit: opts.unit,
    subject: median(opts.pairs.map((p) => p.subject)),
    floor: median(opts.pairs.map((p) => p.floor)),
    ratio,
    goal: opts.goal,
    kind: opts.kind,
    goalBy: opts.goalBy ?? 'issue',
    ok,
    rounds: opts.pairs.length,
  };
  printRatio(result);
  record(result);
  return result;
}

/** For a single measured pair (long runs where interleaving rounds would take too long). */
export function reportSingle(opts: Omit<Parameters<typeof reportRatio>[0], 'pairs'> & Pair): Ratio {
  return reportRatio({ ...opts, pairs: [{ subject: opts.subject, floor: opts.floor }] });
}

const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

const goalText = (r: Ratio): string => `${r.kind === 'max' ? '≤' : '≥'} ${r.goal}×${r.goalBy === 'ours' ? ' (ours)' : ''}`;

function printRatio(r: Ratio): void {
  const goal = goalText(r);
  console.log(
    `  ${r.measure}: sitrep ${fmt(r.subject)} ${r.unit}, floor ${fmt(r.floor)} ${r.unit}, ratio ${r.ratio.toFixed(2)}× (goal ${goal}, median of ${r.rounds}) ${r.ok ? 'ok' : 'MISSED'}`,
  );
}

/** bench/run.ts sets SITREP_BENCH_RESULTS to a file; each ratio is one JSON line in it. */
function record(r: Ratio): void {
  const file = process.env.SITREP_BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(r)}\n`);
}

export function printTable(results: readonly Ratio[]): void {
  const rows = results.map((r) => [
    r.bench,
    r.measure,
    `${fmt(r.subject)} ${r.unit}`,
    `${fmt(r.floor)} ${r.unit}`,
    `${r.ratio.toFixed(2)}×`,
    goalText(r),
    r.ok ? 'ok' : 'MISSED',
  ]);
  const head = ['bench', 'measure', 'sitrep', 'floor', 'ratio', 'goal', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}
