// Pure rules about one page on an incident: who may answer it, what each page message should show, and
// how its position in the policy is named. The service applies them inside IncidentStore.update, so a
// racing acknowledgement, escalation and resolve are each decided on the state that is actually stored.
import { actorLabel, sameActor, type Actor } from '../domain/actor.js';
import { incidentLabel, type Incident, type PageState } from '../domain/incident.js';
import { isOpen } from '../domain/status.js';
import type { PageView } from '../incidents/chat-port.js';

export type Position = { level: number; pass: number };

export function findPage(incident: Incident, pageId: string): PageState | undefined {
  return incident.pages.find((p) => p.id === pageId);
}

export function withPage(incident: Incident, page: PageState): Incident {
  return { ...incident, pages: incident.pages.map((p) => (p.id === page.id ? page : p)) };
}

export function positionKey(position: Position): string {
  return `${position.level}.${position.pass}`;
}

export function isAt(page: PageState, position: Position): boolean {
  return page.level === position.level && page.pass === position.pass;
}

export function includesActor(list: readonly Actor[], actor: Actor): boolean {
  return list.some((a) => sameActor(a, actor));
}

/** Everyone in `a`, then those of `b` not already in it. */
export function union(a: readonly Actor[], b: readonly Actor[]): Actor[] {
  return [...a, ...b.filter((x) => !includesActor(a, x))];
}

function whoAnswered(page: PageState, mention: (a: Actor) => string): string {
  return page.acknowledgedBy ? mention(page.acknowledgedBy) : 'someone';
}

/**
 * Why `actor` may not acknowledge now, or undefined when they may. Anyone the page reached at any level may
 * acknowledge, also after it escalated or ran out of levels: a late "I'm on it" still stops the paging.
 */
export function ackRefusal(incident: Incident, page: PageState | undefined, actor: Actor, mention: (a: Actor) => string): string | undefined {
  const label = incidentLabel(incident);
  if (!page) return `This page is not part of ${label} any more; open the incident channel to see who is on it.`;
  if (!isOpen(incident.status)) return `${label} is already ${incident.status}; there is nothing to acknowledge.`;
  if (page.status === 'cancelled') return `This page for ${label} was called off; nothing to do.`;
  if (page.status === 'acknowledged') {
    return sameActor(page.acknowledgedBy, actor) ? undefined : `${whoAnswered(page, mention)} already acknowledged this page for ${label}. Thanks for checking in!`;
  }
  if (!includesActor(page.paged, actor)) {
    return `This page went to ${page.paged.map(mention).join(', ') || 'someone else'}, so only they can answer it. To help with ${label}, join its channel.`;
  }
  return undefined;
}

/** Why `actor` may not pass the page on now, or undefined when they may. */
export function declineRefusal(incident: Incident, page: PageState | undefined, actor: Actor, mention: (a: Actor) => string): string | undefined {
  const label = incidentLabel(incident);
  if (!page) return `This page is not part of ${label} any more.`;
  if (!isOpen(incident.status)) return `${label} is already ${incident.status}; nobody needs to take it.`;
  if (page.status === 'acknowledged') return `${whoAnswered(page, mention)} already acknowledged this page for ${label}.`;
  if (page.status === 'cancelled') return `This page for ${label} was called off; nothing to do.`;
  if (page.status === 'exhausted') return `Every level for this page has been tried already. If you can help after all, press Acknowledge.`;
  if (!includesActor(page.targets, actor)) {
    return includesActor(page.paged, actor)
      ? `This page has already moved on to level ${page.level + 1}. If you can take it after all, press Acknowledge.`
      : `This page went to ${page.targets.map(mention).join(', ') || 'someone else'}, so only they can answer it.`;
  }
  return undefined;
}

/** What the page message of `user` (sent at `at`) should show now; undefined keeps the buttons. */
export function outcomeFor(page: PageState, user: Actor, at: Position, now: string): PageView['outcome'] {
  if (page.status === 'acknowledged') return { kind: 'acknowledged', by: page.acknowledgedBy, at: page.acknowledgedAt ?? now };
  if (page.status === 'cancelled') return { kind: 'cancelled', at: now };
  if (includesActor(page.declined, user)) return { kind: 'declined', by: user, at: now };
  if (isAt(page, at)) return undefined;
  return { kind: 'escalated', at: now };
}

/** True when some page message shows another outcome than the stored state calls for. */
export function messagesBehind(page: PageState, now: string): boolean {
  return page.handles.some((h) => (outcomeFor(page, h.user, h, now)?.kind ?? 'open') !== (h.outcome ?? 'open'));
}

export function scopeText(page: PageState): string {
  if (!page.team) return 'paged directly';
  return `${page.team}, level ${page.level + 1}${page.pass > 0 ? `, round ${page.pass + 1}` : ''}`;
}

export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function namesOf(actors: readonly Actor[]): string {
  return actors.map(actorLabel).join(', ');
}
