import { z } from 'zod';

/** Who did something: a person on a chat platform or signed in to the web console (id = e-mail), or sitrep itself, an alert source or PagerDuty. */
export const Actor = z.object({
  platform: z.enum(['slack', 'teams', 'system', 'alert', 'pagerduty', 'web']),
  id: z.string().min(1),
  name: z.string().optional(),
});
export type Actor = z.infer<typeof Actor>;

export const SYSTEM_ACTOR: Actor = { platform: 'system', id: 'sitrep', name: 'sitrep' };

export function sameActor(a: Actor | undefined, b: Actor | undefined): boolean {
  return !!a && !!b && a.platform === b.platform && a.id === b.id;
}

/** How to show an actor in chat-neutral text. */
export function actorLabel(a: Actor): string {
  return a.name ?? a.id;
}
