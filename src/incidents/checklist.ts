import type { Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel, type Incident } from '../domain/incident.js';
import type { IncidentDeps } from './deps.js';
import { refreshRoom } from './room.js';

/**
 * Ticks a checklist item: who and when go on the card and, once, on the timeline. The event's key is the
 * item itself, so a double click, two people at once or two replicas record one tick.
 */
export async function tickChecklistItem(deps: IncidentDeps, incidentId: string, itemId: string, actor: Actor): Promise<{ incident: Incident; changed: boolean }> {
  const at = deps.clock().toISOString();
  const result = await deps.store.update(incidentId, (cur) => {
    const item = cur.checklist?.find((i) => i.id === itemId);
    if (!item) throw new SitrepError('not_found', `${incidentLabel(cur)} has no checklist item "${itemId}".`);
    if (cur.status === 'closed') throw new SitrepError('invalid_transition', `${incidentLabel(cur)} is closed; its checklist is final.`);
    if (item.doneAt) return null;
    return {
      incident: { ...cur, checklist: cur.checklist!.map((i) => (i.id === itemId ? { ...i, doneBy: actor, doneAt: at } : i)) },
      events: [{ type: 'checklist_ticked', actor, key: `checklist:${itemId}`, at, itemId, text: item.text }],
    };
  });
  if (result.changed) await refreshRoom(deps, result.incident);
  return { incident: result.incident, changed: result.changed };
}
