import type { z } from 'zod';
import { loadDotEnv } from '../config.js';

/**
 * The settings a CLI command needs, from the environment or .env like the bot; an empty variable counts
 * as unset. Returns the problems as lines naming each setting instead of throwing.
 */
export function readSettings<T extends z.ZodObject>(schema: T): { ok: true; settings: z.infer<T> } | { ok: false; problems: string } {
  loadDotEnv();
  const env = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, process.env[k] === '' ? undefined : process.env[k]]));
  const parsed = schema.safeParse(env);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`).join('\n') };
}
