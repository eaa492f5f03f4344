import { describe, expect, it } from 'vitest';
import { channelName, MAX_CHANNEL_NAME } from '../../../src/chat/slack/channel-name.js';
import { parseCommand } from '../../../src/chat/commands.js';
import { parseSlackMention } from '../../../src/chat/slack/app.js';

describe('incident channel names', () => {
  it('are lowercase slugs of the title after the number', () => {
    expect(channelName('inc', 42, 'Checkout returns 500!')).toBe('inc-42-checkout-returns-500');
  });
  it('keep Latin letters with accents and drop scripts that have no Latin form, never leaving an invalid name', () => {
    expect(channelName('inc', 7, 'Façade Übersicht')).toBe('inc-7-facade-ubersicht');
    expect(channelName('inc', 8, '決済システム障害')).toBe('inc-8');
    expect(channelName('inc', 9, 'Платежи недоступны')).toBe('inc-9');
  });
  it('never exceed 80 characters, even with a suffix', () => {
    const name = channelName('inc', 123456, 'a very long title '.repeat(20), 12);
    expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
    expect(name).toMatch(/^inc-123456-a-very-long[a-z-]*[a-z]-12$/);
  });
});

describe('the /incident language', () => {
  const parse = (text: string, inRoom = true) => parseCommand(text, { inRoom, parseMention: parseSlackMention });
  it('reads subcommands with their arguments', () => {
    expect(parse('status monitoring rolled back')).toEqual({ kind: 'status', status: 'monitoring', message: 'rolled back' });
    expect(parse('sev 2')).toEqual({ kind: 'severity', severity: 'SEV2' });
    expect(parse('lead <@U123ABC|maria>')).toEqual({ kind: 'role', role: 'lead', user: { id: 'U123ABC', name: 'maria' } });
    expect(parse('action add a canary <@U9>')).toEqual({ kind: 'action', text: 'add a canary', owner: { id: 'U9', name: undefined } });
    expect(parse('page team-directory db is gone')).toEqual({ kind: 'page', target: { team: 'team-directory' }, message: 'db is gone' });
    expect(parse('trace 4BF92F3577B34DA6A3CE929D0E0E4736')).toEqual({ kind: 'trace', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(parse('repair INC-12', false)).toEqual({ kind: 'repair', number: 12 });
  });
  it('treats unknown words as a title outside incident rooms, and as a typo inside one', () => {
    expect(parse('checkout is down', false)).toEqual({ kind: 'declare', title: 'checkout is down' });
    expect(parse('checkout is down')).toMatchObject({ kind: 'help', reason: expect.stringContaining('Unknown subcommand "checkout"') });
    expect(parse('')).toEqual({ kind: 'modal' });
  });
  it('answers malformed arguments with help that says what was wrong', () => {
    expect(parse('sev 9')).toMatchObject({ kind: 'help', reason: expect.stringContaining('not a severity') });
    expect(parse('status sleeping')).toMatchObject({ kind: 'help', reason: expect.stringContaining('not a status') });
    expect(parse('lead maria')).toMatchObject({ kind: 'help', reason: expect.stringContaining('Mention the person') });
  });
});
