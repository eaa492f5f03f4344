import { lastMoveBefore, type Change, type ChangeEvent } from '../domain/change.js';

export { lastMoveBefore };

/** Folds the events of each change (same `changeId`) into one change, phases in time order. */
export function foldChanges(events: readonly ChangeEvent[]): Change[] {
  const byId = new Map<string, ChangeEvent[]>();
  for (const e of events) byId.set(e.changeId, [...(byId.get(e.changeId) ?? []), e]);
  return [...byId.values()].map(fold);
}

function fold(events: ChangeEvent[]): Change {
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const latest = <K extends keyof ChangeEvent>(key: K) => sorted.map((e) => e[key]).filter((v) => v !== undefined).at(-1);
  const earliest = <K extends keyof ChangeEvent>(key: K) => sorted.map((e) => e[key]).find((v) => v !== undefined);
  const phases: Change['phases'] = [];
  for (const e of sorted) {
    if (e.rollout === undefined || phases.at(-1)?.rollout === e.rollout) continue;
    phases.push({ rollout: e.rollout, at: e.at });
  }
  const finished = sorted.map((e) => e.finishedAt).filter((v): v is string => v !== undefined);
  return {
    changeId: first.changeId,
    service: first.service,
    // A "phase" event only moves a change along; the change is what the other events say it is.
    kind: sorted.find((e) => e.kind !== 'phase')?.kind ?? 'phase',
    version: latest('version') as string | undefined,
    environment: latest('environment') as string | undefined,
    startedAt: sorted.map((e) => e.startedAt).sort()[0]!,
    finishedAt: finished.sort().at(-1),
    by: earliest('by') as string | undefined,
    url: latest('url') as string | undefined,
    state: last.state,
    description: latest('description') as string | undefined,
    phases,
    source: first.source,
  };
}

/** Changes that moved in the `windowMs` before `anchorMs`, the one closest before it first. */
export function changesBefore(changes: readonly Change[], anchorMs: number, windowMs: number): Change[] {
  return changes
    .map((change) => ({ change, moved: lastMoveBefore(change, anchorMs) }))
    .filter((c): c is { change: Change; moved: number } => c.moved !== undefined && c.moved >= anchorMs - windowMs)
    .sort((a, b) => b.moved - a.moved)
    .map((c) => c.change);
}
