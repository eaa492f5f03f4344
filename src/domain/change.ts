import { z } from 'zod';

/** What changed in production: the question every incident room asks first. */
export const CHANGE_KINDS = ['deploy', 'config', 'flag', 'rollback', 'phase'] as const;
export const ChangeKind = z.enum(CHANGE_KINDS);
export type ChangeKind = z.infer<typeof ChangeKind>;

/**
 * One change event as received (a webhook delivery), normalised from any source. Several events with
 * the same `changeId` are phases of one change (canary 10 % → 100 %, in progress → success).
 */
export const ChangeEvent = z.object({
  /** Identifies this event: a retried delivery has the same one and is stored once. */
  eventId: z.string().min(1),
  /** Groups the events of one change (a deployment id, a rollout id). */
  changeId: z.string().min(1),
  service: z.string().min(1),
  kind: ChangeKind,
  version: z.string().optional(),
  environment: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Who made the change (a login or a name, as the source knows them). */
  by: z.string().optional(),
  url: z.string().optional(),
  /** Rollout percentage reached by this event (0–100). */
  rollout: z.number().min(0).max(100).optional(),
  /** Source-specific state, e.g. GitHub's success / failure / in_progress. */
  state: z.string().optional(),
  description: z.string().optional(),
  /** `generic`: POST /hooks/changes (also what the Argo CD template sends); `github`: deployment_status. */
  source: z.enum(['generic', 'github']),
  /** When the event's time is: `finishedAt ?? startedAt`, or when sitrep received it. */
  at: z.string(),
});
export type ChangeEvent = z.infer<typeof ChangeEvent>;

/** A change as people talk about it: every event of one `changeId` folded together. */
export const Change = ChangeEvent.pick({
  changeId: true,
  service: true,
  kind: true,
  version: true,
  environment: true,
  startedAt: true,
  finishedAt: true,
  by: true,
  url: true,
  state: true,
  description: true,
}).extend({
  /** Rollout steps in time order, e.g. 10 % at 02:48 then 100 % at 03:02. */
  phases: z.array(z.object({ rollout: z.number(), at: z.string() })).default([]),
  source: z.string(),
});
export type Change = z.infer<typeof Change>;

/** Changes that matter to an incident are the ones in the hour before it began. */
export const CHANGE_WINDOW_MS = 60 * 60_000;

/** The last moment the change moved (started, a rollout step, finished) at or before `anchorMs`. */
export function lastMoveBefore(change: Change, anchorMs: number): number | undefined {
  const moments = [change.startedAt, change.finishedAt, ...change.phases.map((p) => p.at)]
    .filter((t): t is string => t !== undefined)
    .map((t) => Date.parse(t))
    .filter((t) => t <= anchorMs);
  return moments.length ? Math.max(...moments) : undefined;
}
