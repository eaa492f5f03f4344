import type { Actor } from '../../src/domain/actor.js';
import { incidentIdFor, type Incident } from '../../src/domain/incident.js';

export const alice: Actor = { platform: 'slack', id: 'U_ALICE', name: 'alice' };
export const bob: Actor = { platform: 'slack', id: 'U_BOB', name: 'bob' };

export function makeIncident(number: number, overrides: Partial<Incident> = {}): Incident {
  return {
    id: incidentIdFor(number),
    number,
    title: 'Checkout returns 500',
    severity: 'SEV2',
    highestSeverity: 'SEV2',
    status: 'declared',
    roles: { lead: alice },
    declaredBy: alice,
    source: { kind: 'command', detail: 'slack' },
    affectedServices: [],
    alertFingerprints: [],
    pages: [],
    links: [],
    declaredAt: '2026-11-24T03:00:00.000Z',
    version: 0,
    ...overrides,
  };
}
