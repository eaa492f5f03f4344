import { describe, expect, it } from 'vitest';
import { SitrepError } from '../../src/domain/errors.js';
import { parseSeverity, worstSeverity } from '../../src/domain/severity.js';
import { allowedTransitions, assertTransition, canTransition, isOpen, parseStatus, STATUSES } from '../../src/domain/status.js';

describe('incident status machine', () => {
  it('moves forward through the lifecycle', () => {
    for (const [from, to] of [
      ['declared', 'investigating'],
      ['investigating', 'identified'],
      ['identified', 'monitoring'],
      ['monitoring', 'resolved'],
      ['resolved', 'closed'],
    ] as const) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(true);
    }
  });

  it('lets a resolved incident be reopened, but never a closed one', () => {
    expect(canTransition('resolved', 'investigating')).toBe(true);
    expect(allowedTransitions('closed')).toEqual([]);
    for (const to of STATUSES) expect(canTransition('closed', to)).toBe(false);
  });

  it('refuses skipping resolve on the way to closed, with a typed error naming the allowed moves', () => {
    expect(() => assertTransition('investigating', 'closed', 'INC-7')).toThrowError(SitrepError);
    try {
      assertTransition('investigating', 'closed', 'INC-7');
    } catch (err) {
      expect(err).toMatchObject({ code: 'invalid_transition', httpStatus: 409 });
      expect((err as SitrepError).userMessage).toBe('INC-7 cannot go from investigating to closed. From investigating it can move to: identified, monitoring, resolved.');
    }
  });

  it('explains that a closed incident is final', () => {
    expect(() => assertTransition('closed', 'investigating', 'INC-7')).toThrow(/closed incidents cannot change/);
  });

  it('only resolved and closed incidents count as not open', () => {
    expect(STATUSES.filter(isOpen)).toEqual(['declared', 'investigating', 'identified', 'monitoring']);
  });

  it('understands what people type', () => {
    expect(parseStatus('Monitoring')).toBe('monitoring');
    expect(parseStatus('mitigated')).toBe('monitoring');
    expect(parseStatus('done-ish')).toBeUndefined();
    expect(['1', 'sev1', 'SEV-2', 'sev 3', 'p4'].map(parseSeverity)).toEqual(['SEV1', 'SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(parseSeverity('5')).toBeUndefined();
    expect(worstSeverity('SEV3', 'SEV1')).toBe('SEV1');
  });
});
