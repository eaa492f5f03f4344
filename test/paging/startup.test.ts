import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { SitrepError } from '../../src/domain/errors.js';
import { silentLogger } from '../../src/log.js';
import { testPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

describe('starting with ONCALL_FILE', () => {
  it('a broken oncall.yaml stops start-up with the file, line and reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-oncall-'));
    const file = join(dir, 'oncall.yaml');
    writeFileSync(
      file,
      ['users:', '  alice: { name: Alice, slack: U_ALICE }', 'escalationPolicies:', '  p:', '    levels:', '      - targets: [{ user: bob }]', '        timeoutSeconds: 1', 'teams:', '  team-x: { escalationPolicy: p }', ''].join('\n'),
    );
    const config = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: testPrefix('startup'), PORT: '0', ONCALL_FILE: file });

    const failure = await startSitrep(config, silentLogger).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(SitrepError);
    expect((failure as SitrepError).code).toBe('invalid_input');
    expect((failure as SitrepError).userMessage).toContain(`${file}:6: escalationPolicies.p.levels[0].targets[0].user: unknown user "bob" (known users: alice)`);
  });
});
