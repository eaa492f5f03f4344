import type { EventOf, TimelineEvent } from './timeline.js';

/**
 * Response metrics of one incident, computed from its timeline and nothing else. Each metric names the
 * events it was computed from; when one is missing the metric is "not measured" with the reason —
 * a postmortem must never show a number that did not happen.
 */
export type MetricId = 'time_to_detect' | 'time_to_acknowledge' | 'time_to_mitigate' | 'time_to_resolve' | 'team_handoffs' | 'time_to_right_team';

/** One event a metric was computed from, with the role it played ("first alert", "declared"). */
export interface MetricSource {
  label: string;
  event: TimelineEvent;
}

export interface Metric {
  id: MetricId;
  name: string;
  /** How it is measured, e.g. "first alert → declared". */
  definition: string;
  unit: 'duration' | 'count';
  /** Milliseconds for a duration, a number for a count; undefined when not measured. */
  value?: number;
  sources: MetricSource[];
  /** Why the metric could not be measured. */
  missing?: string;
  /** Extra context, e.g. the hand-off chain "team-a → team-b → team-c". */
  detail?: string;
}

export interface ResponseMetrics {
  timeToDetect: Metric;
  timeToAcknowledge: Metric;
  timeToMitigate: Metric;
  timeToResolve: Metric;
  teamHandoffs: Metric;
  timeToRightTeam: Metric;
}

const ms = (e: TimelineEvent) => Date.parse(e.at);

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, as toISOString writes it: such strings sort as their times do. */
const isCanonical = (at: string) => at.length === 24 && at.charCodeAt(10) === 84 /* T */ && at.charCodeAt(23) === 90; /* Z */

/**
 * Events in the order they happened. The stream keeps write order, but an event may carry an earlier
 * time than its write (an alert that started before it was delivered); ties keep write order.
 */
export function chronological(timeline: readonly TimelineEvent[]): TimelineEvent[] {
  // Mostly the write order is the time order already: one pass to check beats a sort.
  let sorted = true;
  let previous = timeline[0];
  let previousCanonical = previous !== undefined && isCanonical(previous.at);
  for (let i = 1; sorted && i < timeline.length; i++) {
    const event = timeline[i]!;
    // Each time is looked at once: a long timeline's events are fresh from Redis, and touching them costs.
    const canonical = isCanonical(event.at);
    sorted = previousCanonical && canonical ? previous!.at <= event.at : ms(previous!) <= ms(event);
    previous = event;
    previousCanonical = canonical;
  }
  if (sorted) return [...timeline];
  return timeline
    .map((event, index) => ({ event, index, t: ms(event) }))
    .sort((a, b) => a.t - b.t || a.index - b.index)
    .map(({ event }) => event);
}

function ofType<T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

/** The events of each type, in order, from one pass (the metrics look up several types). */
type OfType = <T extends TimelineEvent['type']>(type: T) => EventOf<T>[];
function indexByType(events: readonly TimelineEvent[]): OfType {
  const index = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    const list = index.get(e.type);
    if (list) list.push(e);
    else index.set(e.type, [e]);
  }
  return <T extends TimelineEvent['type']>(type: T) => (index.get(type) ?? []) as EventOf<T>[];
}

type Spec = Pick<Metric, 'id' | 'name' | 'definition'>;

function notMeasured(spec: Spec, missing: string, sources: MetricSource[] = [], unit: Metric['unit'] = 'duration'): Metric {
  return { ...spec, unit, sources, missing };
}

function between(spec: Spec, from: MetricSource, to: MetricSource): Metric {
  const value = ms(to.event) - ms(from.event);
  // A negative span means the clocks that stamped the two events disagree; no number beats a wrong one.
  if (value < 0) return notMeasured(spec, `${to.label} is recorded before ${from.label}; the two clocks disagree`, [from, to]);
  return { ...spec, unit: 'duration', value, sources: [from, to] };
}

const SPECS = {
  detect: { id: 'time_to_detect', name: 'Time to detect', definition: 'first alert → declared' },
  acknowledge: { id: 'time_to_acknowledge', name: 'Time to acknowledge', definition: 'first page → first acknowledgement' },
  mitigate: { id: 'time_to_mitigate', name: 'Time to mitigate', definition: 'declared → first moved to monitoring' },
  resolve: { id: 'time_to_resolve', name: 'Time to resolve', definition: 'declared → resolved' },
  handoffs: { id: 'team_handoffs', name: 'Team hand-offs', definition: 'hops from the first suspected team to the team that owned the fix' },
  rightTeam: { id: 'time_to_right_team', name: 'Time to the right team', definition: 'declared → the team it ended with was first assigned' },
} satisfies Record<string, Spec>;

export function computeMetrics(timeline: readonly TimelineEvent[]): ResponseMetrics {
  const of = indexByType(chronological(timeline));
  const declared = of('declared')[0];
  const declaredSource = declared ? { label: 'declared', event: declared } : undefined;
  const owners = ownerChainOf(of('owner_changed'));
  return {
    timeToDetect: timeToDetect(of, declaredSource),
    timeToAcknowledge: timeToAcknowledge(of),
    timeToMitigate: timeToMitigate(of, declaredSource),
    timeToResolve: timeToResolve(of, declaredSource),
    teamHandoffs: teamHandoffs(owners),
    timeToRightTeam: timeToRightTeam(owners, declaredSource),
  };
}

const NO_DECLARED = 'the timeline has no "declared" event';

function timeToDetect(of: OfType, declared: MetricSource | undefined): Metric {
  const alert = of('alert_fired')[0];
  if (!alert) return notMeasured(SPECS.detect, 'no alert fired for this incident: it was detected by a person', declared ? [declared] : []);
  const first = { label: `first alert "${alert.title}"`, event: alert };
  if (!declared) return notMeasured(SPECS.detect, NO_DECLARED, [first]);
  if (ms(alert) > ms(declared.event)) {
    // Declared by the alert itself yet recorded later: its start time is missing, not zero.
    if (declared.event.actor.platform === 'alert') return notMeasured(SPECS.detect, 'the alert that declared the incident was recorded without the time it started firing', [declared, first]);
    // An alert that fires after a person declared did not detect the incident.
    return notMeasured(SPECS.detect, 'the first alert fired after the incident was declared: it was detected by a person', [declared, first]);
  }
  return between(SPECS.detect, first, declared);
}

function timeToAcknowledge(of: OfType): Metric {
  const page = of('paged')[0];
  if (!page) return notMeasured(SPECS.acknowledge, 'nobody was paged');
  const first = { label: 'first page', event: page };
  const pagedAt = ms(page);
  const ack = of('acknowledged').find((e) => ms(e) >= pagedAt);
  if (!ack) return notMeasured(SPECS.acknowledge, 'no page was acknowledged', [first]);
  return between(SPECS.acknowledge, first, { label: 'first acknowledgement', event: ack });
}

function timeToMitigate(of: OfType, declared: MetricSource | undefined): Metric {
  const monitoring = of('status_changed').find((e) => e.to === 'monitoring');
  if (!declared) return notMeasured(SPECS.mitigate, NO_DECLARED);
  if (!monitoring) return notMeasured(SPECS.mitigate, 'the incident never moved to monitoring', [declared]);
  return between(SPECS.mitigate, declared, { label: 'moved to monitoring', event: monitoring });
}

function timeToResolve(of: OfType, declared: MetricSource | undefined): Metric {
  // A reopened incident counts as resolved when it was resolved for the last time.
  const resolved = of('resolved').at(-1);
  if (!declared) return notMeasured(SPECS.resolve, NO_DECLARED);
  if (!resolved) return notMeasured(SPECS.resolve, 'the incident has not been resolved', [declared]);
  return between(SPECS.resolve, declared, { label: 'resolved', event: resolved });
}

/** The owning teams in order, from the `owner_changed` ledger (a repeated team is not a hop). */
export function ownerChain(events: readonly TimelineEvent[]): OwnerChain {
  return ownerChainOf(ofType(events, 'owner_changed'));
}

type OwnerChain = { teams: string[]; changes: EventOf<'owner_changed'>[] };

function ownerChainOf(ownerChanges: readonly EventOf<'owner_changed'>[]): OwnerChain {
  const teams: string[] = [];
  const changes: EventOf<'owner_changed'>[] = [];
  for (const change of ownerChanges) {
    // The first entry may name a team suspected before the ledger started (e.g. set from an alert).
    if (teams.length === 0 && change.fromTeam && change.fromTeam !== change.toTeam) teams.push(change.fromTeam);
    if (teams.at(-1) === change.toTeam) continue;
    teams.push(change.toTeam);
    changes.push(change);
  }
  return { teams, changes };
}

function teamHandoffs({ teams, changes }: OwnerChain): Metric {
  if (teams.length === 0) return notMeasured(SPECS.handoffs, 'no owning team was recorded (/incident owner <team>)', [], 'count');
  return {
    ...SPECS.handoffs,
    unit: 'count',
    value: teams.length - 1,
    detail: teams.join(' → '),
    sources: changes.map((event) => ({ label: event.fromTeam ? `handed from ${event.fromTeam} to ${event.toTeam}` : `first suspected team ${event.toTeam}`, event })),
  };
}

/**
 * Time to the right team — the one definition, for the postmortem and for insights alike: declared →
 * the team the incident ended with was first assigned it. A team that had the incident, lost it and got
 * it back counts from its first assignment: the time spent elsewhere in between was time lost. A team
 * suspected before the hand-off ledger started (the `fromTeam` of the first change) had it from the
 * declaration; so did one named in the declaration itself, a moment before the declared event was stamped.
 */
function timeToRightTeam({ teams, changes }: OwnerChain, declared: MetricSource | undefined): Metric {
  const finalTeam = teams.at(-1);
  if (!declared) return notMeasured(SPECS.rightTeam, NO_DECLARED);
  if (!finalTeam) return notMeasured(SPECS.rightTeam, 'no owning team was recorded (/incident owner <team>)', [declared]);
  const first = changes[0]!;
  const suspectedFromTheStart = teams[0] === finalTeam && first.toTeam !== finalTeam;
  const assigned = suspectedFromTheStart ? first : changes.find((c) => c.toTeam === finalTeam)!;
  const label = suspectedFromTheStart ? `${finalTeam} suspected from the start (handed away here)` : `${finalTeam} first assigned`;
  const value = suspectedFromTheStart ? 0 : Math.max(0, ms(assigned) - ms(declared.event));
  return { ...SPECS.rightTeam, unit: 'duration', value, sources: [declared, { label, event: assigned }], detail: finalTeam };
}

export function metricList(metrics: ResponseMetrics): Metric[] {
  return [metrics.timeToDetect, metrics.timeToAcknowledge, metrics.timeToMitigate, metrics.timeToResolve, metrics.teamHandoffs, metrics.timeToRightTeam];
}
