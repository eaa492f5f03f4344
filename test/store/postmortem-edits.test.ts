import { afterAll, describe, expect, it } from 'vitest';
import { PostmortemEdits } from '../../src/store/postmortem-edits.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';

const redis = testRedis();
const prefix = testPrefix('pm-edits');
const edits = new PostmortemEdits(redis, prefix);
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

const maria = { platform: 'web' as const, id: 'maria@example.com', name: 'Maria Lopez' };
const ken = { platform: 'web' as const, id: 'ken@example.com', name: 'Ken Ito' };
const howMany = { id: 'a1b2c3d4e5f6', section: 'Impact', question: 'failed requests, users or orders affected, error budget spent.' };
const wentWell = { id: '0f0f0f0f0f0f', section: 'What went well', question: 'what helped' };

describe('answers to postmortem prompts in Redis', () => {
  it('keeps every save as a version: who changed which prompt, when, from what to what', async () => {
    const first = await edits.save('inc-7', howMany, 0, 'about 1,200 checkouts', maria, '2026-11-24T05:00:00.000Z');
    expect(first).toMatchObject({ ok: true, edit: { version: 1, revision: 1, before: '', after: 'about 1,200 checkouts', by: maria } });
    const second = await edits.save('inc-7', howMany, 1, '1,240 failed checkouts (3% of EU traffic)', ken, '2026-11-24T05:03:00.000Z');
    expect(second).toMatchObject({ ok: true, edit: { version: 2, revision: 2, before: 'about 1,200 checkouts' } });
    await edits.save('inc-7', wentWell, 0, 'the pool alert fired early', maria, '2026-11-24T05:04:00.000Z');

    const answers = await edits.answers('inc-7');
    expect(answers.get(howMany.id)).toEqual({ text: '1,240 failed checkouts (3% of EU traffic)', revision: 2, by: ken, at: '2026-11-24T05:03:00.000Z' });
    expect((await edits.history('inc-7')).map((e) => [e.version, e.promptId, e.by.name, e.before, e.after])).toEqual([
      [1, howMany.id, 'Maria Lopez', '', 'about 1,200 checkouts'],
      [2, howMany.id, 'Ken Ito', 'about 1,200 checkouts', '1,240 failed checkouts (3% of EU traffic)'],
      [3, wentWell.id, 'Maria Lopez', '', 'the pool alert fired early'],
    ]);
    expect(await redis.exists(`${prefix}{inc-7}:postmortem:answers`, `${prefix}{inc-7}:postmortem:edits`)).toBe(2);
  });

  it('two people saving the same prompt from the same revision: the second gets the first one’s text back and writes nothing', async () => {
    const [a, b] = await Promise.all([
      edits.save('inc-8', howMany, 0, 'Maria: 1,240 checkouts', maria, '2026-11-24T06:00:00.000Z'),
      edits.save('inc-8', howMany, 0, 'Ken: about a thousand', ken, '2026-11-24T06:00:01.000Z'),
    ]);
    const [won, lost] = a.ok ? [a, b] : [b, a];
    expect(won.ok).toBe(true);
    expect(lost).toEqual({ ok: false, current: expect.objectContaining({ revision: 1 }) });
    expect((await edits.history('inc-8')).length).toBe(1);
    expect((await edits.answers('inc-8')).get(howMany.id)?.revision).toBe(1);
  });

  it('different prompts saved at once both go through', async () => {
    const [a, b] = await Promise.all([edits.save('inc-9', howMany, 0, 'x', maria, '2026-11-24T06:00:00.000Z'), edits.save('inc-9', wentWell, 0, 'y', ken, '2026-11-24T06:00:00.000Z')]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect((await edits.history('inc-9')).map((e) => e.version).sort()).toEqual([1, 2]);
  });

  it('keeps text that looks like JSON or Lua escapes as written', async () => {
    const text = 'quotes " and \\ backslashes, a slash / and emoji ✏️ — {"not":"json"}';
    await edits.save('inc-10', howMany, 0, text, maria, '2026-11-24T06:00:00.000Z');
    expect((await edits.answers('inc-10')).get(howMany.id)?.text).toBe(text);
  });
});
