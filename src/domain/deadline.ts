/**
 * Waits for `work` at most `ms`: true if it settled in time (fulfilled or not), false if time ran out.
 * Shutdown uses it so a dead Redis cannot hold the process open (issue 15: stuck 45 s closing a queue).
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
