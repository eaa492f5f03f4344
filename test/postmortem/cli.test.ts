import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewTimelineEvent } from '../../src/domain/timeline.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { PostmortemStore } from '../../src/store/postmortems.js';
import { cleanPrefix, testPrefix, testRedis, TEST_REDIS_URL } from '../helpers/redis.js';
import { nightIncident } from './helpers.js';

const exec = promisify(execFile);
const prefix = testPrefix('pm-cli');
const redis = testRedis();
const out = mkdtempSync(join(tmpdir(), 'sitrep-pm-cli-'));

/** `npx sitrep postmortem …` as an operator runs it, against this test's keys. */
async function sitrep(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('npx', ['tsx', 'src/cli/main.ts', 'postmortem', ...args], {
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, TIME_ZONE: 'Europe/Berlin', POSTMORTEM_TEMPLATE: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  // The night incident, written through the real store as the bot would have written it.
  const store = new RedisIncidentStore(redis, prefix);
  const { incident, timeline } = nightIncident({ title: 'Checkout <returns> 500 & "retries"' });
  const [first, ...rest] = timeline.map(({ id: _id, incidentId: _incidentId, ...e }) => e as NewTimelineEvent);
  await store.create(incident, [first!]);
  await store.append(incident.id, rest);
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

describe('npx sitrep postmortem', () => {
  it('writes a self-contained HTML postmortem of an incident in Redis to a file', async () => {
    const file = join(out, 'inc-42.html');
    const { code, stderr } = await sitrep('42', '--format', 'html', '--out', file);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Wrote the INC-42 postmortem \(html, \d+ bytes\) to .*inc-42\.html$/m);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<title>INC-42: Checkout &lt;returns&gt; 500 &amp; &quot;retries&quot; — postmortem</title>');
    expect(html).toContain('<h1>INC-42: Checkout &lt;returns&gt; 500 &amp; &quot;retries&quot; — postmortem (draft)</h1>');
    expect(html).toContain('<tr><td>Time to detect</td><td>5 min</td>');
    expect(html).toContain('<tr><td>Time to the right team</td><td>10 min</td>');
    // Europe/Berlin: 03:00 UTC reads 04:00.
    expect(html).toContain('<li><strong>04:00:00</strong> · alice · Declared');
    expect(html).not.toContain('<returns>');
  }, 90_000); // several `npx tsx` start-ups each: seconds apiece on a loaded 2-core machine

  it('prints Markdown by default; --stored prints the draft that was shared, once there is one', async () => {
    const md = await sitrep('INC-42');
    expect(md.code).toBe(0);
    expect(md.stdout.startsWith('# INC-42: Checkout \\<returns\\> 500 & "retries" — postmortem (draft)\n')).toBe(true);
    expect(md.stdout).toContain('| Time to resolve | 40 min |');

    const none = await sitrep('42', '--stored');
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toContain('INC-42 has no stored postmortem draft yet; run without --stored');

    await new PostmortemStore(redis, prefix).save({ incidentId: 'inc-42', revision: 3, markdown: '# as shared\n', generatedAt: '2026-11-24T03:46:00.000Z', generatedBy: { platform: 'slack', id: 'U_ALICE' } });
    expect(await sitrep('42', '--stored')).toMatchObject({ code: 0, stdout: '# as shared\n' });
  }, 90_000); // several `npx tsx` start-ups each: seconds apiece on a loaded 2-core machine

  it('says what is wrong: an unknown incident, a bad format, no number', async () => {
    const missing = await sitrep('4242');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`INC-4242 is not in Redis under the prefix "${prefix}" (check REDIS_URL and REDIS_KEY_PREFIX)`);
    const format = await sitrep('42', '--format', 'pdf');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be md or html (got "pdf")');
    const placeholders = await sitrep('--placeholders');
    expect(placeholders.code).toBe(0);
    expect(placeholders.stdout).toMatch(/^\{\{metrics\}\} +response metrics table$/m);
    const nothing = await sitrep();
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('name one incident number');
  }, 90_000); // several `npx tsx` start-ups each: seconds apiece on a loaded 2-core machine
});
