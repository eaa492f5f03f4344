import { latencyProfile, type LatencyUnit } from './latency.js';
import { errorSignature } from './signature.js';
import type { SpanTree } from './tree.js';

// What normal looked like: traces of the same services from before the incident (by default the hour
// before the first alert). Kept as counts and samples, not spans, so a baseline of thousands of
// traces costs memory in proportion to the distinct signatures and operations it saw.

interface Spread {
  median: number;
  /** Robust standard deviation (1.4826 × median absolute deviation). */
  sigma: number;
  count: number;
}

// Shifts smaller than these are noise: 10% of the usual time, or half a millisecond.
const MIN_SHIFT_SHARE = 0.1;
const MIN_SHIFT_US = 500;
// A sample this far above the median (in robust standard deviations) is a shift, not jitter.
const SIGMAS = 2;
// Below this a usual time is too small to be a yardstick (2 ms).
const MIN_USUAL_US = 2000;
// Samples kept per operation: plenty for a median, bounded for memory.
const MAX_SAMPLES = 2000;

function spread(values: number[]): Spread {
  const sorted = Float64Array.from(values).sort();
  const median = sorted[sorted.length >> 1]!;
  const deviations = sorted.map((v) => Math.abs(v - median)).sort();
  return { median, sigma: 1.4826 * deviations[deviations.length >> 1]!, count: sorted.length };
}

export class Baseline {
  traces = 0;
  private readonly signatureTraces = new Map<string, number>();
  private readonly samples = new Map<string, number[]>();
  private readonly spreads = new Map<string, Spread | null>();

  /** Adds one healthy trace. */
  add(tree: SpanTree): void {
    this.traces++;
    const seen = new Set<string>();
    for (const span of tree.spans) if (span.status.code === 'error') seen.add(errorSignature(span));
    for (const sig of seen) this.signatureTraces.set(sig, (this.signatureTraces.get(sig) ?? 0) + 1);
    const profile = latencyProfile(tree);
    if (!profile) return;
    for (const unit of profile.units) {
      this.sample(unit.key, unit.us);
      this.sample(fallbackKey(unit), unit.us);
    }
    this.spreads.clear();
  }

  private sample(key: string, us: number): void {
    let list = this.samples.get(key);
    if (!list) this.samples.set(key, (list = []));
    if (list.length < MAX_SAMPLES) list.push(us);
    else list[(this.traces * 7919) % MAX_SAMPLES] = us; // keep a spread-out sample once full
  }

  /** In how many baseline traces this error signature occurred. */
  tracesWith(signature: string): number {
    return this.signatureTraces.get(signature) ?? 0;
  }

  /** Share of baseline traces with this error signature. */
  rate(signature: string): number {
    return this.traces === 0 ? 0 : this.tracesWith(signature) / this.traces;
  }

  /**
   * An error seen regularly before the incident: in at least two baseline traces and 1% of them.
   * (Used per trace, where there is no incident rate to compare with.)
   */
  usual(signature: string): boolean {
    const n = this.tracesWith(signature);
    return n >= 2 && n >= 0.01 * this.traces;
  }

  private spreadOf(key: string): Spread | null {
    let s = this.spreads.get(key);
    if (s === undefined) {
      const values = this.samples.get(key);
      s = values && values.length >= 3 ? spread(values) : null;
      this.spreads.set(key, s);
    }
    return s;
  }

  /** The usual time of this unit (its operation's median before the incident), or null if never seen. */
  usualUs(unit: LatencyUnit): number | null {
    return (this.spreadOf(unit.key) ?? this.spreadOf(fallbackKey(unit)))?.median ?? null;
  }

  /**
   * How much longer than usual this stretch of time was: 0 within normal jitter, else its distance
   * from the median. Time of a kind never seen before counts whole.
   */
  excessUs(unit: LatencyUnit): number {
    return this.shift(unit).us;
  }

  /**
   * The excess, and the same as a multiple of the usual time (plus its jitter): a service three
   * times slower than usual stands out even when its milliseconds are few, and a jittery
   * operation's large swings weigh less than a steady one's.
   */
  shift(unit: LatencyUnit): { us: number; relative: number } {
    const s = this.spreadOf(unit.key) ?? this.spreadOf(fallbackKey(unit));
    if (!s) return { us: unit.us, relative: unit.us / MIN_USUAL_US };
    const threshold = s.median + Math.max(SIGMAS * s.sigma, MIN_SHIFT_SHARE * s.median, MIN_SHIFT_US);
    if (unit.us <= threshold) return { us: 0, relative: 0 };
    const us = unit.us - s.median;
    return { us, relative: us / Math.max(s.median + s.sigma, MIN_USUAL_US) };
  }
}

/** The same role in the same service, whatever the operation: for operations the baseline never saw. */
function fallbackKey(unit: LatencyUnit): string {
  return `${unit.role}\u0000${unit.service}`;
}
