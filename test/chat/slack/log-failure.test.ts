import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logFailure } from '../../../src/chat/slack/errors.js';
import { SitrepError } from '../../../src/domain/errors.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  return { log: pino({ level: 'debug' }, sink), lines };
}

describe('logging what went wrong with a Slack request', () => {
  it('a person’s mistake is logged at info, with the reason and without a stack', () => {
    const { log, lines } = capture();
    logFailure(log, 'command', new SitrepError('forbidden', 'Only the incident lead can close INC-4. The lead is <@U_ALICE>.'));
    logFailure(log, 'command', new SitrepError('invalid_input', '"9" is not a severity. Use 1 (worst) to 4.'));
    expect(lines.map((l) => l.level)).toEqual([30, 30]);
    expect(lines[0]).toMatchObject({ what: 'command', code: 'forbidden', reason: 'Only the incident lead can close INC-4. The lead is <@U_ALICE>.' });
    expect(JSON.stringify(lines)).not.toContain('    at ');
  });

  it('our own failures and Slack being down stay errors with their stack', () => {
    const { log, lines } = capture();
    logFailure(log, 'command', new Error('redis went away'));
    logFailure(log, 'shortcut', new SitrepError('unavailable', 'Could not post: Slack is rate-limiting sitrep right now.'));
    expect(lines.map((l) => l.level)).toEqual([50, 50]);
    expect(JSON.stringify(lines[0])).toContain('    at ');
  });
});
