/** "250 ms", "2 s", "1.5 s", "840 µs": how a person would say it in chat. */
export function formatMicros(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  return formatMillis(us / 1000);
}

export function formatMillis(ms: number): string {
  if (ms < 1000) return `${Number(ms.toPrecision(3))} ms`;
  return `${Number((ms / 1000).toPrecision(3))} s`;
}
