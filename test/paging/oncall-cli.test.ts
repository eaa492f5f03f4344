import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

type Run = { code: number; stdout: string; stderr: string };

/** Runs `npx tsx src/cli/main.ts oncall …` the way a person would, in a clean zone-independent env. */
function sitrepOncall(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/main.ts', 'oncall', ...args],
      { cwd: repo, env: { ...process.env, ONCALL_FILE: '', TZ: 'UTC', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// Wednesday 2024-03-06, 20:00 in Berlin, 14:00 in New York: Dan covers Maria's evening.
const WEDNESDAY_EVENING = '2024-03-06T19:00:00Z';

describe('sitrep oncall', () => {
  it('prints, for every team, whom each level pages and until when', async () => {
    const { code, stdout } = await sitrepOncall(['--config', fixture('oncall.yaml'), '--at', WEDNESDAY_EVENING]);
    expect(code).toBe(0);
    expect(stdout).toContain('On call at 2024-03-06 19:00 UTC (2024-03-06T19:00:00.000Z)');
    expect(stdout).toContain('team-directory  (policy directory, pages via chat)');
    expect(stdout).toMatch(
      /level 1 · escalates after 10 min\n\s+Dan Brooks \(dan\)\s+schedule berlin, override for Maria Okafor, until 2024-03-07 09:00 Europe\/Berlin\n/,
    );
    expect(stdout).toMatch(/Priya Raman \(priya\)\s+schedule new-york, until 2024-03-07 09:00 America\/New_York/);
    expect(stdout).toMatch(/Maria Okafor \(maria\)\s+user maria/);
    expect(stdout).toMatch(/level 3 · escalates after 30 min\n\s+Priya Raman \(priya\)\s+group sre-leads\n\s+Dan Brooks \(dan\)\s+group sre-leads/);
    expect(stdout).toContain('then repeats all levels 1 more time');
    expect(stdout).toContain('team-payments  (policy payments, pages via pagerduty)');
  });

  it('prints one team as JSON, reading a local --at in --tz', async () => {
    // 10:00 in Berlin on Monday 2024-03-11: Jonas's week has begun.
    const { code, stdout } = await sitrepOncall([
      '--config', fixture('oncall.yaml'), '--at', '2024-03-11 10:00', '--tz', 'Europe/Berlin', '--json', 'team-directory',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { at: string; teams: Array<{ team: string; levels: Array<{ targets: unknown[] }> }> };
    expect(report.at).toBe('2024-03-11T09:00:00.000Z');
    expect(report.teams.map((t) => t.team)).toEqual(['team-directory']);
    expect(report.teams[0]?.levels[0]?.targets).toEqual([
      {
        kind: 'schedule',
        id: 'berlin',
        users: [{ id: 'jonas', name: 'Jonas Weber' }],
        until: '2024-03-18T08:00:00.000Z',
        timeZone: 'Europe/Berlin',
      },
    ]);
  });

  it('warns when a level would page nobody, before the rotations start', async () => {
    const { code, stdout } = await sitrepOncall(['--config', fixture('oncall.yaml'), '--at', '2024-03-01T12:00:00Z', 'team-directory']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/level 1 · escalates after 10 min\n\s+nobody on call\s+schedule berlin \(no shift or override covers this time\)\n\s+! level 1 pages nobody at this time/);
    expect(stdout).toMatch(/Maria Okafor \(maria\)\s+user maria/);
  });

  it('reads the file named by ONCALL_FILE when there is no --config', async () => {
    const { code, stdout } = await sitrepOncall(['--at', WEDNESDAY_EVENING, 'team-payments'], { ONCALL_FILE: fixture('oncall.yaml') });
    expect(code).toBe(0);
    expect(stdout).toMatch(/Priya Raman \(priya\)\s+schedule new-york/);
    expect(stdout).not.toContain('team-directory');
  });

  it('a bad on-call file exits 1 and points at the line', async () => {
    const file = fixture('unknown-user.yaml');
    const { code, stderr } = await sitrepOncall(['--config', file, '--at', WEDNESDAY_EVENING]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:14: schedules.primary.rotations[0].members[2]: unknown user "bob"`);
  });

  it('a missing on-call file exits 1 and says what to do', async () => {
    const { code, stderr } = await sitrepOncall(['--config', '/nonexistent/oncall.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain('/nonexistent/oncall.yaml: no such file; copy oncall.example.yaml there');
  });

  it('an unknown team exits 1 and lists the teams', async () => {
    const { code, stderr } = await sitrepOncall(['--config', fixture('oncall.yaml'), 'team-search']);
    expect(code).toBe(1);
    expect(stderr).toContain('no team "team-search"');
    expect(stderr).toContain('teams: team-directory, team-payments');
  });

  it('an unreadable --at is a usage error, exit 2', async () => {
    const { code, stderr } = await sitrepOncall(['--config', fixture('oncall.yaml'), '--at', 'tomorrow 9am']);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read --at "tomorrow 9am"');
  });
});
