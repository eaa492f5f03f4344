import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import type { AlertSource } from '../../src/alerts/index.js';
import type { Incident } from '../../src/domain/incident.js';
import type { SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';

/** The rules file the intake tests run with (see fixtures/intake-rules.yaml). */
export const INTAKE_RULES = resolve(process.cwd(), 'test/alerts/fixtures/intake-rules.yaml');

export const TOKENS = {
  alertmanager: 'am-token-0123456789abcdef',
  datadog: 'dd-token-0123456789abcdef',
  generic: 'generic-token-0123456789abcdef',
} as const;
export const GRAFANA_HMAC = 'grafana-hmac-0123456789abcdef';

/** The headers a correctly configured sender adds for `source`. */
export function credentials(source: AlertSource, raw: string): Record<string, string> {
  if (source === 'grafana') return { 'x-grafana-signature': `sha256=${createHmac('sha256', GRAFANA_HMAC).update(raw).digest('hex')}` };
  return { authorization: `Bearer ${TOKENS[source]}` };
}

export interface HookResponse {
  status: number;
  json: { ok: boolean; error?: string; accepted?: number; alerts?: { fingerprint: string; action: string; outcome: string; incidentId?: string; detail?: string }[] };
  ms: number;
}

/** POSTs a webhook as its sender would; `headers` replaces the credentials when given. */
export async function sendHook(baseUrl: string, source: AlertSource, body: unknown, headers?: Record<string, string>): Promise<HookResponse> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const started = performance.now();
  const res = await fetch(`${baseUrl}/hooks/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(headers ?? credentials(source, raw)) },
    body: raw,
  });
  const json = (await res.json()) as HookResponse['json'];
  return { status: res.status, json, ms: performance.now() - started };
}

/** A generic-format alert; same title and labels = same fingerprint. */
export function genericAlert(title: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title, labels: { severity: 'critical', ...labels }, ...extra };
}

/** Every key under the prefix with its type and size: what "nothing was written" is checked against. */
export async function redisSnapshot(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  // BullMQ workers (status-update reminders) set a short-lived `stalled-check` key on their own schedule: housekeeping, not a write.
  const described = await Promise.all(keys.filter((k) => !k.endsWith(':stalled-check')).map(async (k) => `${k} ${await redis.type(k)} ${await redis.dump(k).then((d) => d?.length ?? 0)}`));
  return described.sort();
}

/** The incident an alert went to, once its room and card exist. */
export async function incidentForAlert(h: SlackHarness, fingerprint: string): Promise<Incident> {
  await h.settle();
  return eventually(async () => {
    const id = await h.store.findByFingerprint(fingerprint);
    const incident = id ? await h.store.get(id) : undefined;
    return incident?.room?.cardId ? incident : undefined;
  }, `an incident with a room for alert ${fingerprint}`);
}
