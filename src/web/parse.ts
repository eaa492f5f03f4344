import type { z } from 'zod';
import { SitrepError } from '../domain/errors.js';

/** Parses a request part; the first problem becomes an `invalid_input` error a person can act on. */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SitrepError('invalid_input', `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}
