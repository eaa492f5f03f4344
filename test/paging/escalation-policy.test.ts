import { describe, expect, it } from 'vitest';
import type { EscalationPolicy } from '../../src/paging/config.js';
import { PagingError } from '../../src/paging/errors.js';
import {
  levelTimeoutMs,
  nextStep,
  policyFor,
  policyIdForTeam,
  resolveLevel,
  type Step,
} from '../../src/paging/escalation-policy.js';
import { at, oncallConfig } from './helpers.js';

const config = oncallConfig({
  groups: { 'sre-leads': ['dan', 'erin', 'alice'] },
  schedules: {
    primary: {
      timeZone: 'Europe/Berlin',
      rotations: [{ members: ['alice', 'bob'], shift: '1w', handoff: 'monday 09:00', start: '2024-03-04' }],
    },
    'next-year': {
      timeZone: 'UTC',
      rotations: [{ members: ['carol'], shift: '1d', handoff: '09:00', start: '2025-01-01' }],
    },
  },
  escalationPolicies: {
    directory: {
      levels: [
        { targets: [{ schedule: 'primary' }], timeoutMinutes: 10 },
        { targets: [{ user: 'carol' }, { schedule: 'primary' }], timeoutMinutes: 15 },
        { targets: [{ group: 'sre-leads' }, { user: 'dan' }], timeoutMinutes: 30 },
      ],
      repeat: 1,
    },
    empty: { levels: [{ targets: [{ schedule: 'next-year' }], timeoutMinutes: 5 }] },
  },
  teams: { 'team-directory': { escalationPolicy: 'directory' }, 'team-later': { escalationPolicy: 'empty' } },
});

const wednesday = at('2024-03-06T12:00:00Z');

describe('resolving a level to the people to page', () => {
  it('a schedule target pages whoever is on call, with their shift', () => {
    const level = resolveLevel(config, 'directory', 0, wednesday);
    expect(level.users.map((u) => u.id)).toEqual(['alice']);
    expect(level.users[0]).toMatchObject({ id: 'alice', name: 'Alice' });
    expect(level.timeoutMinutes).toBe(10);
    expect(level.targets[0]?.onCall?.shiftEnd.toISOString()).toBe('2024-03-11T08:00:00.000Z');
  });

  it('the same level pages someone else once the shift has handed off', () => {
    expect(resolveLevel(config, 'directory', 0, at('2024-03-11T08:00:00Z')).users.map((u) => u.id)).toEqual(['bob']);
  });

  it('a user target pages that user, alongside the schedule', () => {
    expect(resolveLevel(config, 'directory', 1, wednesday).users.map((u) => u.id)).toEqual(['carol', 'alice']);
  });

  it('a group target pages every member, and nobody is paged twice', () => {
    const level = resolveLevel(config, 'directory', 2, wednesday);
    expect(level.users.map((u) => u.id)).toEqual(['dan', 'erin', 'alice']);
    expect(level.targets.map((t) => t.users)).toEqual([['dan', 'erin', 'alice'], ['dan']]);
  });

  it('a schedule with nobody on call pages nobody, and says so', () => {
    const level = resolveLevel(config, 'empty', 0, wednesday);
    expect(level.users).toEqual([]);
    expect(level.targets[0]).toMatchObject({ target: { kind: 'schedule', id: 'next-year' }, users: [] });
    expect(level.targets[0]?.onCall).toBeUndefined();
  });

  it('an unknown policy or level is an error that names what exists', () => {
    expect(() => resolveLevel(config, 'payments', 0, wednesday)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_POLICY', message: expect.stringContaining('known: directory, empty') }),
    );
    expect(() => resolveLevel(config, 'directory', 3, wednesday)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_LEVEL', message: expect.stringContaining('has 3 level(s); there is no level 4') }),
    );
  });

  it('a team maps to its policy; a team without an entry cannot be paged', () => {
    expect(policyIdForTeam(config, 'team-directory')).toBe('directory');
    expect(() => policyIdForTeam(config, 'team-search')).toThrow(PagingError);
    expect(() => policyIdForTeam(config, 'team-search')).toThrow(/Team "team-search" has no entry under teams:/);
  });
});

describe('escalating when nobody acknowledges', () => {
  const directory = policyFor(config, 'directory');

  /** Every level paged, in order, until the policy gives up. */
  function walk(policy: EscalationPolicy): string[] {
    const paged: string[] = [];
    let step: Step = { kind: 'next-level', levelIndex: 0, pass: 0 };
    while (step.kind !== 'exhausted') {
      paged.push(`pass ${step.pass} level ${step.levelIndex + 1}`);
      step = nextStep(policy, step.levelIndex, step.pass);
    }
    return paged;
  }

  it('goes to the next level after a timeout', () => {
    expect(nextStep(directory, 0, 0)).toEqual({ kind: 'next-level', levelIndex: 1, pass: 0 });
  });

  it('after the last level, starts another pass from level 1 while repeats remain', () => {
    expect(nextStep(directory, 2, 0)).toEqual({ kind: 'next-pass', levelIndex: 0, pass: 1 });
  });

  it('after the last level of the last pass, is exhausted', () => {
    expect(nextStep(directory, 2, 1)).toEqual({ kind: 'exhausted' });
  });

  it('a policy that repeats once pages every level twice, then stops', () => {
    expect(walk(directory)).toEqual([
      'pass 0 level 1',
      'pass 0 level 2',
      'pass 0 level 3',
      'pass 1 level 1',
      'pass 1 level 2',
      'pass 1 level 3',
    ]);
  });

  it('a policy without repeat pages each level once', () => {
    expect(walk(policyFor(config, 'empty'))).toEqual(['pass 0 level 1']);
  });

  it('each level waits its own timeout before escalating', () => {
    expect(levelTimeoutMs(directory, 0)).toBe(10 * 60_000);
    expect(levelTimeoutMs(directory, 2)).toBe(30 * 60_000);
    expect(() => levelTimeoutMs(directory, 5)).toThrow(expect.objectContaining({ code: 'UNKNOWN_LEVEL' }));
  });
});
