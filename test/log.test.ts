import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '../src/log.js';

describe('logging', () => {
  it('never writes tokens, secrets or authorization headers', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info({ token: 'xoxb-secret-1', req: { headers: { authorization: 'Bearer abc.def' } }, config: { slack: { botToken: 'xoxb-2', signingSecret: 'shh' } }, source: { secret: 'hmac-key' } }, 'hello');
    const out = lines.join('');
    for (const secret of ['xoxb-secret-1', 'abc.def', 'xoxb-2', 'shh', 'hmac-key']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});
