import { CHANGE_WINDOW_MS, lastMoveBefore, type Change } from './change.js';

/** "Most incidents follow a change": the insights measure of how many did, defined once. */
export const FOLLOWED_CHANGE = {
  name: 'Followed a change',
  windowMs: CHANGE_WINDOW_MS,
  formula:
    'incidents declared within an hour after a change (deploy, config, flag, rollback, rollout phase) to their origin, failure path or alerted services started, stepped or finished ÷ incidents whose changes were collected',
  reads: 'the incident’s changes (kept on it at declaration and when triage names the origin), declaredAt',
  notApplicable: 'no change events were collected for it (no change feed, or no service named)',
} as const;

/** Whether any of `changes` moved in the hour before `declaredAt`. */
export function followedChange(changes: readonly Change[], declaredAt: string): boolean {
  const anchor = Date.parse(declaredAt);
  return changes.some((c) => {
    const moved = lastMoveBefore(c, anchor);
    return moved !== undefined && moved >= anchor - FOLLOWED_CHANGE.windowMs;
  });
}
