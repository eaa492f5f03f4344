import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plainCheck } from '../../src/domain/plain-check.js';

/** The promise the fast path rests on: whatever the plain check accepts, the schema returns unchanged. */
function agrees(schema: z.ZodType, values: unknown[]): void {
  const check = plainCheck(schema);
  for (const value of values) {
    if (!check(value)) continue;
    const parsed = schema.safeParse(value);
    expect(parsed.success, JSON.stringify(value)).toBe(true);
    expect(parsed.data, JSON.stringify(value)).toEqual(value);
  }
}

describe('plain checks derived from a schema', () => {
  it('accept a well-formed record as it is and refuse what the schema rejects', () => {
    const Page = z.object({ id: z.string().min(1), level: z.number().int().nonnegative(), count: z.number().int().positive(), team: z.string().optional(), via: z.enum(['chat', 'pagerduty']) });
    const check = plainCheck(Page);
    expect(check({ id: 'p1', level: 0, count: 1, via: 'chat' })).toBe(true);
    for (const bad of [{ id: '', level: 0, count: 1, via: 'chat' }, { id: 'p1', level: -1, count: 1, via: 'chat' }, { id: 'p1', level: 0, count: 0, via: 'chat' }, { id: 'p1', level: 0.5, count: 1, via: 'chat' }, { id: 'p1', level: 0, count: 1, via: 'sms' }, { id: 'p1', level: 0, count: 1, via: 'chat', team: 3 }, null, 'p1', []]) {
      expect(check(bad), JSON.stringify(bad)).toBe(false);
      expect(Page.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('send a record with a key the schema would strip to the schema', () => {
    expect(plainCheck(z.object({ id: z.string() }))({ id: 'a', extra: 1 })).toBe(false);
  });

  it('count only what the record holds: a key inherited from a polluted prototype, or an own key left undefined, goes to the schema', () => {
    const check = plainCheck(z.object({ id: z.string(), team: z.string().optional(), at: z.object({ ts: z.string() }).optional() }));
    expect(check({ id: 'a', at: { ts: '1' } })).toBe(true);
    expect(check(Object.assign(Object.create({ inherited: 1 }) as object, { id: 'a' }))).toBe(false);
    expect(check({ id: 'a', team: undefined })).toBe(false);
    expect(check({ id: 'a', at: { ts: 1 } })).toBe(false);
    expect(check({ id: 'a', team: 7 })).toBe(false);
  });

  it('give the same answers where code generation from strings is disabled', () => {
    const script = `
      const { plainCheck } = await import('./src/domain/plain-check.ts');
      const { z } = await import('zod');
      const check = plainCheck(z.object({ id: z.string(), team: z.string().optional(), n: z.number().int().optional() }));
      console.log(JSON.stringify([check({ id: 'a' }), check({ id: 'a', team: 't', n: 2 }), check({ id: 'a', extra: 1 }), check({ id: 1 }), check({ id: 'a', n: 1.5 })]));`;
    const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true, false, false, false]);
  });

  it('send what they do not understand to the schema: formats, patterns, refinements, transforms', () => {
    const values = [1, 1.5, 'a@b.io', 'not an email', 'abc', 'ABC', 2 ** 60];
    for (const schema of [z.int(), z.email(), z.string().regex(/^[a-z]+$/), z.string().refine((s) => s.length > 2), z.string().transform((s) => s.toUpperCase()), z.number().multipleOf(2)]) {
      agrees(schema as z.ZodType, values);
    }
    expect(plainCheck(z.int())(1.5)).toBe(false);
    expect(plainCheck(z.email())('not an email')).toBe(false);
    expect(plainCheck(z.string().transform((s) => s.toUpperCase()))('abc')).toBe(false);
  });
});
