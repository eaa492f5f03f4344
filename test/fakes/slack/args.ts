import type { Args } from './body.js';
import { SlackApiError } from './workspace.js';

export function optString(args: Args, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

export function requireString(args: Args, key: string, code = 'invalid_arguments'): string {
  const value = optString(args, key);
  if (value === undefined) {
    throw new SlackApiError(code, code === 'invalid_arguments' ? { response_metadata: { messages: [`[ERROR] missing required field: ${key}`] } } : {});
  }
  return value;
}

/** Form bodies carry booleans as strings; JSON bodies as booleans. */
export function bool(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function optNumber(args: Args, key: string): number | undefined {
  const value = optString(args, key);
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Comma-separated lists such as `users=U1,U2`. */
export function list(args: Args, key: string): string[] {
  const value = args[key];
  const raw = Array.isArray(value) ? value.map(String) : (optString(args, key) ?? '').split(',');
  return raw.map((s) => s.trim()).filter((s) => s !== '');
}

/** web-api JSON-stringifies nested arguments in form bodies; JSON bodies carry them as-is. */
export function jsonArg(args: Args, key: string, code = 'invalid_arguments'): unknown {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new SlackApiError(code, { response_metadata: { messages: [`[ERROR] ${key} is not valid JSON`] } });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
