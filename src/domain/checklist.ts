import { z } from 'zod';
import { Actor } from './actor.js';

/** One item of an incident's checklist, as the card shows it: ticked once, by whom and when. */
export const ChecklistItem = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  doneBy: Actor.optional(),
  doneAt: z.string().optional(),
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

/** What a checklist template lists: the item ids stay stable when the wording is edited. */
export type ChecklistTemplate = { id: string; text: string }[];

/** The microservice incident checklist every severity gets unless CHECKLIST_FILE says otherwise. */
export const DEFAULT_CHECKLIST: ChecklistTemplate = [
  { id: 'impact', text: 'Identify impacted services and error budgets' },
  { id: 'changes', text: 'Check the latest deploys and rollouts' },
  { id: 'telemetry', text: 'Collect traces and logs for the top failing paths' },
  { id: 'mitigate', text: 'Apply a mitigation (feature flag, traffic reroute, rollback)' },
  { id: 'comms', text: 'Name a comms lead' },
  { id: 'postmortem', text: 'Run the postmortem and assign action items' },
];

export function checklistProgress(items: readonly ChecklistItem[]): { done: number; total: number } {
  return { done: items.filter((i) => i.doneAt).length, total: items.length };
}
