import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OncallConfigError } from '../../src/paging/errors.js';
import { loadOncallConfig, parseOncallConfig } from '../../src/paging/load-config.js';
import { levelTimeoutMs } from '../../src/paging/escalation-policy.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const exampleFile = fileURLToPath(new URL('../../oncall.example.yaml', import.meta.url));

/** The error parseOncallConfig throws for `text`, so tests can read what a person would see. */
function problemsWith(text: string): OncallConfigError {
  try {
    parseOncallConfig(text, 'oncall.yaml');
  } catch (err) {
    if (err instanceof OncallConfigError) return err;
    throw err;
  }
  throw new Error('expected oncall.yaml to be rejected');
}

const valid = `users:
  alice: { name: Alice Adams, slack: U024BE7LH }
  carol: { name: Carol Chen }
schedules:
  primary:
    timeZone: Europe/Berlin
    rotations:
      - members: [alice, carol]
        shift: 1w
        handoff: monday 09:00
        start: 2024-01-01
escalationPolicies:
  default:
    levels:
      - targets: [{ schedule: primary }]
        timeoutMinutes: 10
teams:
  team-directory:
    escalationPolicy: default
`;

describe('a valid oncall.yaml', () => {
  it('the example file at the repository root is itself valid', async () => {
    const config = await loadOncallConfig(exampleFile);
    expect(Object.keys(config.teams)).toContain('team-directory');
    expect(config.teams['team-payments']?.provider).toBe('pagerduty');
  });

  it('reads shifts, hand-offs and start dates into values the rotation math uses', () => {
    const config = parseOncallConfig(valid, 'oncall.yaml');
    expect(config.schedules.primary?.rotations[0]).toMatchObject({
      shift: { amount: 1, unit: 'w' },
      handoff: { weekday: 1, hour: 9, minute: 0 },
      start: { year: 2024, month: 1, day: 1 },
    });
  });

  it('teams page through chat unless they say otherwise, and policies do not repeat by default', () => {
    const config = parseOncallConfig(valid, 'oncall.yaml');
    expect(config.teams['team-directory']?.provider).toBe('chat');
    expect(config.escalationPolicies.default?.repeat).toBe(0);
  });

  it('a level may wait seconds instead of minutes (for drills and tests)', () => {
    const config = parseOncallConfig(valid.replace('timeoutMinutes: 10', 'timeoutSeconds: 5'), 'oncall.yaml');
    expect(levelTimeoutMs(config.escalationPolicies.default!, 0)).toBe(5000);
    expect(levelTimeoutMs(parseOncallConfig(valid, 'oncall.yaml').escalationPolicies.default!, 0)).toBe(600_000);
  });

  it('override times without an offset are read in the schedule zone', () => {
    const config = parseOncallConfig(
      valid.replace('start: 2024-01-01', 'start: 2024-01-01\n    overrides:\n      - { user: carol, start: "2024-07-01 09:00", end: "2024-07-01T12:00:00Z" }'),
      'oncall.yaml',
    );
    const override = config.schedules.primary?.overrides[0];
    expect(override?.start.toISOString()).toBe('2024-07-01T07:00:00.000Z'); // 09:00 CEST
    expect(override?.end.toISOString()).toBe('2024-07-01T12:00:00.000Z');
  });
});

describe('mistakes in oncall.yaml are reported with file, line and reason', () => {
  it('a rotation member who is not a user points at that member', async () => {
    const file = fixture('unknown-user.yaml');
    const error = await loadOncallConfig(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OncallConfigError);
    expect((error as OncallConfigError).code).toBe('ONCALL_CONFIG_INVALID');
    expect((error as OncallConfigError).message).toContain(
      `${file}:14: schedules.primary.rotations[0].members[2]: unknown user "bob"`,
    );
    expect((error as OncallConfigError).message).toContain('known users: alice, carol');
  });

  it('a missing file says where it looked and what to do', async () => {
    const error = await loadOncallConfig('/nonexistent/oncall.yaml').catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'ONCALL_CONFIG_NOT_FOUND' });
    expect((error as Error).message).toMatch(/^\/nonexistent\/oncall\.yaml: no such file; copy oncall\.example\.yaml/);
  });

  it('an unknown time zone', () => {
    const error = problemsWith(valid.replace('Europe/Berlin', 'Europe/Berlim'));
    expect(error.message).toBe(
      'oncall.yaml:6: schedules.primary.timeZone: unknown time zone; use an IANA name such as "Europe/Berlin" or "America/New_York"',
    );
  });

  it('a misspelt key is reported at the key', () => {
    const error = problemsWith(valid.replace('timeoutMinutes', 'timeout'));
    expect(error.issues).toContainEqual(
      expect.objectContaining({ line: 16, path: 'escalationPolicies.default.levels[0].timeout', message: expect.stringMatching(/^unknown key/) }),
    );
    expect(error.issues).toContainEqual(
      expect.objectContaining({ line: 15, path: 'escalationPolicies.default.levels[0].timeoutMinutes', message: expect.stringMatching(/^required/) }),
    );
  });

  it('a value of the wrong type says what it got, not that it is missing', () => {
    const error = problemsWith(valid.replace('timeoutMinutes: 10', 'timeoutMinutes: ten'));
    expect(error.issues).toContainEqual(
      expect.objectContaining({ path: 'escalationPolicies.default.levels[0].timeoutMinutes', message: expect.stringMatching(/^expected number, got string/) }),
    );
  });

  it('a level with both timeoutMinutes and timeoutSeconds', () => {
    const error = problemsWith(valid.replace('timeoutMinutes: 10', 'timeoutMinutes: 10\n        timeoutSeconds: 5'));
    expect(error.issues).toContainEqual(
      expect.objectContaining({ line: 17, path: 'escalationPolicies.default.levels[0].timeoutSeconds', message: 'set timeoutMinutes or timeoutSeconds, not both' }),
    );
  });

  it('a policy that targets an unknown schedule', () => {
    const error = problemsWith(valid.replace('{ schedule: primary }', '{ schedule: primry }'));
    expect(error.message).toBe(
      'oncall.yaml:15: escalationPolicies.default.levels[0].targets[0].schedule: unknown schedule "primry" (known schedules: primary)',
    );
  });

  it('a team whose policy does not exist', () => {
    const error = problemsWith(valid.replace('escalationPolicy: default', 'escalationPolicy: standard'));
    expect(error.message).toBe(
      'oncall.yaml:19: teams.team-directory.escalationPolicy: unknown escalation policy "standard" (known escalation policies: default)',
    );
  });

  it('a group with an unknown member and an override for an unknown user', () => {
    const text = valid
      .replace('schedules:', 'groups:\n  leads: [alice, zoe]\nschedules:')
      .replace('start: 2024-01-01', 'start: 2024-01-01\n    overrides:\n      - { user: yan, start: "2024-07-01 09:00", end: "2024-07-01 12:00" }');
    expect(problemsWith(text).message).toBe(
      [
        'oncall.yaml:5: groups.leads[1]: unknown user "zoe" (known users: alice, carol)',
        'oncall.yaml:15: schedules.primary.overrides[0].user: unknown user "yan" (known users: alice, carol)',
      ].join('\n'),
    );
  });

  it('an override that ends before it starts', () => {
    const text = valid.replace(
      'start: 2024-01-01',
      'start: 2024-01-01\n    overrides:\n      - user: carol\n        start: 2024-07-02 09:00\n        end: 2024-07-01 09:00',
    );
    expect(problemsWith(text).message).toBe('oncall.yaml:15: schedules.primary.overrides[0].end: the override ends before it starts');
  });

  it('shift lengths, hand-offs and dates that cannot be read', () => {
    const text = valid.replace('shift: 1w', 'shift: 1 week').replace('handoff: monday 09:00', 'handoff: "9am"').replace('2024-01-01', '2024-02-30');
    const error = problemsWith(text);
    expect(error.issues.map((i) => `${i.line} ${i.path}`)).toEqual([
      '9 schedules.primary.rotations[0].shift',
      '10 schedules.primary.rotations[0].handoff',
      '11 schedules.primary.rotations[0].start',
    ]);
    expect(error.issues[0]?.message).toContain('"12h", "1d", "1w"');
  });

  it('a day of the week on a daily rotation', () => {
    const error = problemsWith(valid.replace('shift: 1w', 'shift: 1d'));
    expect(error.message).toContain('oncall.yaml:10: schedules.primary.rotations[0].handoff: a day of the week only applies to weekly shifts');
  });

  it('a PagerDuty team without a routing key', () => {
    const error = problemsWith(valid.replace('escalationPolicy: default', 'escalationPolicy: default\n    provider: pagerduty'));
    expect(error.message).toContain('oncall.yaml:20: teams.team-directory.provider: provider "pagerduty" needs pagerduty.routingKey');
  });

  it('a provider sitrep does not know', () => {
    const error = problemsWith(valid.replace('escalationPolicy: default', 'escalationPolicy: default\n    provider: opsgenie'));
    expect(error.message).toBe('oncall.yaml:20: teams.team-directory.provider: must be one of "chat", "pagerduty"');
  });

  it('a Slack id that is really a display name', () => {
    const error = problemsWith(valid.replace('U024BE7LH', '"@alice"'));
    expect(error.message).toMatch(/^oncall\.yaml:2: users\.alice\.slack: a Slack user id looks like U024BE7LH/);
  });

  it('a required section that is missing', () => {
    const error = problemsWith(valid.slice(0, valid.indexOf('teams:')));
    expect(error.message).toBe('oncall.yaml:1: teams: required (record)');
  });

  it('broken YAML is reported at the line the parser stopped', () => {
    const error = problemsWith(valid.replace('  carol: { name: Carol Chen }', '  carol: { name: Carol Chen'));
    expect(error.issues[0]).toMatchObject({ file: 'oncall.yaml', path: '' });
    expect(error.issues[0]?.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toContain('not valid YAML');
  });

  it('an empty file', () => {
    expect(problemsWith('# nothing yet\n').message).toBe('oncall.yaml:1: the file is empty; start from oncall.example.yaml');
  });

  it('every problem is listed, in file order', () => {
    const text = valid.replace('Europe/Berlin', 'Mars/Olympus').replace('{ schedule: primary }', '{ user: bob }');
    expect(problemsWith(text).issues.map((i) => i.line)).toEqual([6, 15]);
  });
});
