import { z } from 'zod';
import { SitrepError } from './errors.js';

export const STATUSES = ['declared', 'investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

const ACTIVE: Status[] = ['investigating', 'identified', 'monitoring'];

/**
 * Allowed moves. Work may go back and forth between the active states as understanding changes;
 * `resolved` can be reopened (back to investigating) until the incident is closed, and closed is final.
 */
const TRANSITIONS: Record<Status, readonly Status[]> = {
  declared: [...ACTIVE, 'resolved'],
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: ['investigating', 'closed'],
  closed: [],
};

export function allowedTransitions(from: Status): readonly Status[] {
  return TRANSITIONS[from];
}

export function canTransition(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOpen(status: Status): boolean {
  return status !== 'resolved' && status !== 'closed';
}

/** Throws an `invalid_transition` error a user can act on ("… can move to: identified, monitoring"). */
export function assertTransition(from: Status, to: Status, incidentLabel: string): void {
  if (from === to) {
    throw new SitrepError('invalid_transition', `${incidentLabel} is already ${to}.`);
  }
  if (canTransition(from, to)) return;
  const next = TRANSITIONS[from];
  const hint =
    next.length === 0
      ? `${incidentLabel} is closed; closed incidents cannot change. Declare a new incident if the problem is back.`
      : `From ${from} it can move to: ${next.join(', ')}.`;
  throw new SitrepError('invalid_transition', `${incidentLabel} cannot go from ${from} to ${to}. ${hint}`);
}

/** Accepts what people type, including a few common synonyms. */
export function parseStatus(input: string): Status | undefined {
  const word = input.trim().toLowerCase();
  const synonyms: Record<string, Status> = { mitigated: 'monitoring', fixed: 'resolved', investigate: 'investigating' };
  if ((STATUSES as readonly string[]).includes(word)) return word as Status;
  return synonyms[word];
}
