import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, parseAlertRules, severityFor } from '../../src/alerts/index.js';

describe('severity rules', () => {
  it.each([
    ['critical', 'SEV1'],
    ['page', 'SEV1'],
    ['P1', 'SEV1'],
    ['Critical', 'SEV1'],
    ['high', 'SEV2'],
    ['error', 'SEV2'],
    ['P2', 'SEV2'],
    ['warning', 'SEV3'],
    ['P3', 'SEV3'],
    ['info', 'SEV4'],
    ['low', 'SEV4'],
    ['P4', 'SEV4'],
    ['P5', 'SEV4'],
  ] as const)('by default a severity label of %s means %s', (label, expected) => {
    expect(severityFor({ severity: label })).toBe(expected);
  });

  it('by default maps a priority label P1–P5', () => {
    expect(['P1', 'P2', 'P3', 'P4', 'P5'].map((priority) => severityFor({ priority }))).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV4']);
  });

  it('is SEV3 when nothing matches, including a severity word it does not know', () => {
    expect(severityFor({ alertname: 'X' })).toBe('SEV3');
    expect(severityFor({ severity: 'apocalyptic' })).toBe('SEV3');
    expect(severityFor({ severity: 'critical-ish' })).toBe('SEV3'); // regexes are anchored
  });

  it('tries your rules first, in order, then the defaults, then your default severity', () => {
    const rules = parseAlertRules(
      [
        'defaultSeverity: SEV4',
        'severity:',
        '  - match: [\'team="payments"\', \'env="prod"\']',
        '    severity: SEV1',
        '  - match: [\'team="payments"\']',
        '    severity: SEV2',
      ].join('\n'),
      'rules.yaml',
    );
    expect(severityFor({ team: 'payments', env: 'prod', severity: 'info' }, rules)).toBe('SEV1');
    expect(severityFor({ team: 'payments', env: 'staging' }, rules)).toBe('SEV2');
    expect(severityFor({ team: 'search', severity: 'critical' }, rules)).toBe('SEV1');
    expect(severityFor({ team: 'search' }, rules)).toBe('SEV4');
    expect(severityFor({ team: 'search' }, DEFAULT_ALERT_RULES)).toBe('SEV3');
  });

  it('lets a rule with no matchers catch everything before the defaults', () => {
    const rules = parseAlertRules('severity:\n  - match: []\n    severity: SEV2\n', 'rules.yaml');
    expect(severityFor({ severity: 'info' }, rules)).toBe('SEV2');
  });
});
