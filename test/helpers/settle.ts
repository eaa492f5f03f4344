import type { Sitrep } from '../../src/app.js';

/** Waits for the work a request left behind: background tasks, joined alerts being applied, and what they started. */
export async function settleAll(sitrep: Sitrep): Promise<void> {
  await sitrep.deps.background.idle();
  await sitrep.joins.idle();
  await sitrep.deps.background.idle();
}
