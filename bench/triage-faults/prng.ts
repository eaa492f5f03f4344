// Seeded randomness so a seed always yields the same dataset, byte for byte.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(min: number, max: number): number;
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** Log-normal around a median (ms), the usual shape of service latencies. */
  logNormal(median: number, sigma?: number): number;
  hex(digits: number): string;
}

/** mulberry32: tiny, fast and good enough for test data; not for anything secret. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    logNormal: (median, sigma = 0.35) => median * Math.exp(sigma * normal()),
    hex: (digits) => {
      let s = '';
      while (s.length < digits) s += Math.floor(next() * 0x10000).toString(16).padStart(4, '0');
      return s.slice(0, digits);
    },
  };
}

/** Mixes a seed with a number (case index, trace index) into an independent stream's seed. */
export function subSeed(seed: number, n: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (n + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
