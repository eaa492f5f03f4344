import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as runReindex } from '../../src/cli/reindex.js';
import { run as runReport } from '../../src/cli/report.js';
import type { NewTimelineEvent } from '../../src/domain/timeline.js';
import type { InsightsReport } from '../../src/insights/report.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { cleanPrefix, testPrefix, testRedis, TEST_REDIS_URL } from '../helpers/redis.js';
import { reopenedIncident, unansweredIncident, unpagedAlertIncident, type Story } from './histories.js';

const prefix = testPrefix('insights-cli');
const redis = testRedis();

/**
 * `npx sitrep …` as an operator runs it, against this test's keys: the CLI's own entry points, run in
 * this process (a process per call costs seconds on a busy machine), with its output captured.
 */
async function sitrep(command: 'report' | 'reindex', ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  Object.assign(process.env, { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, TIME_ZONE: 'Europe/Berlin' });
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.join(' ')}\n`));
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (stderr += `${a.join(' ')}\n`));
  try {
    const code = await (command === 'report' ? runReport(args) : runReindex(args));
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    log.mockRestore();
    err.mockRestore();
  }
}

/** Written through the plain store, as a bot from before summaries existed would have written them. */
async function write(store: RedisIncidentStore, { incident, timeline }: Story) {
  const [first, ...rest] = timeline.map(({ id: _id, incidentId: _incidentId, ...e }) => e as NewTimelineEvent);
  await store.create(incident, [first!]);
  await store.append(incident.id, rest);
}

beforeAll(async () => {
  const store = new RedisIncidentStore(redis, prefix);
  for (const story of [reopenedIncident(), unansweredIncident(), unpagedAlertIncident()]) await write(store, story);
  await redis.set(store.keys.incidentSeq, '9');
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

describe('npx sitrep reindex and report', () => {
  it('reindex summarises incidents resolved before summaries existed; report then gives their figures', async () => {
    const before = await sitrep('report', '--since', '2026-03-23', '--until', '2026-04-06', '--format', 'json');
    expect(JSON.parse(before.stdout).incidents).toBe(0);

    const reindexed = await sitrep('reindex');
    expect(reindexed.code).toBe(0);
    expect(reindexed.stdout).toContain('3 summarised');
    expect(reindexed.stdout).toContain('6 not found');

    const { code, stdout } = await sitrep('report', '--since', '2026-03-23', '--until', '2026-04-06', '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as InsightsReport;
    expect(report.incidents).toBe(3);
    expect(report.measures.find((m) => m.id === 'acknowledge')?.stat).toMatchObject({ count: 1, notApplicable: 2, median: 15 * 60_000 });
    expect(report.trend.map((p) => [p.label, p.incidents])).toEqual([
      ['2026-W13', 2],
      ['2026-W14', 1],
    ]);

    const md = await sitrep('report', '--since', '2026-03-23', '--until', '2026-04-06', '--team', 'team-x');
    expect(md.stdout).toContain('1 resolved incident declared 2026-03-23 → 2026-04-06 · team team-x · Europe/Berlin');
    expect(md.stdout).toMatch(/\| MTTR \| 2 h \| 2 h \| 1 \| 0 \|/);

    const csv = await sitrep('report', '--since', '2026-03-23', '--until', '2026-04-06', '--service', 'payments', '--format', 'csv');
    expect(csv.stdout.split('\n')).toContain('all,,,resolve,ms,2,2,0,3600000,3600000,3600000');
  });

  it('a mistyped option is refused with the usage, and nothing is read', async () => {
    const { code, stderr } = await sitrep('report', '--since', 'last-tuesday');
    expect(code).toBe(2);
    expect(stderr).toContain('--since "last-tuesday" is neither a span such as 90d');
  });
});
