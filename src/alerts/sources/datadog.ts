import { z } from 'zod';
import type { LabelSet, NormalizedAlert } from '../alert.js';
import { labelFingerprint } from '../fingerprint.js';
import { firstHttpUrl, runbookUrlFrom } from '../links.js';
import { serviceFromLabels } from '../service.js';
import { severityFor } from '../severity-rules.js';
import { epochToIso } from '../time.js';
import { findTraceId } from '../trace-id.js';
import { resolveOptions, type NormalizeOptions } from './options.js';
import { parsePayload } from './parse-payload.js';

// Template variables arrive as strings, or as numbers when the template leaves them unquoted.
const Text = z.union([z.string(), z.number()], { error: 'must be a string' }).transform(String);
const Epoch = Text.refine((v) => epochToIso(v) !== undefined, 'must be epoch milliseconds, e.g. "1591216985000"');

/**
 * Datadog's default webhook payload (`body`, `last_updated`, `event_type`, `title`, `date`, `org`, `id`)
 * plus the variables people commonly add: alert_id ($ALERT_ID), alert_transition ($ALERT_TRANSITION),
 * alert_type, alert_status, priority ($PRIORITY), tags ($TAGS), link ($LINK), aggreg_key ($AGGREG_KEY),
 * hostname ($HOSTNAME).
 */
export const DatadogWebhook = z.object({
  title: z.string().trim().min(1),
  body: z.string().optional(),
  event_type: z.string().optional(),
  date: Epoch.optional(),
  last_updated: Epoch.optional(),
  org: z.object({ id: Text.optional(), name: z.string().optional() }).optional(),
  id: Text.optional(),
  alert_id: Text.optional(),
  alert_transition: z.string().optional(),
  alert_type: z.string().optional(),
  alert_status: z.string().optional(),
  priority: z.string().optional(),
  tags: z.union([z.string(), z.array(z.string())], { error: 'must be a comma-separated string like "env:prod,service:api"' }).optional(),
  link: z.string().optional(),
  aggreg_key: z.string().optional(),
  hostname: z.string().optional(),
});
export type DatadogWebhook = z.infer<typeof DatadogWebhook>;

// "[Triggered]", "[Recovered on {host:a}]", "[P1]" … : Datadog's prefixes, removed so the title is the monitor's name.
const TITLE_PREFIX = /^\s*\[(?:Triggered|Recovered|Warn|Re-Triggered|Re-Warn|No Data|Re-No Data|Renotify|P[1-5])\b[^\]]*\]\s*/i;

/** One NormalizedAlert per Datadog notification; throws AlertPayloadError if the body is invalid. */
export function normalizeDatadog(body: unknown, options: NormalizeOptions = {}): NormalizedAlert[] {
  const payload = parsePayload(DatadogWebhook, body, 'datadog');
  const { rules, now } = resolveOptions(options);

  const labels = datadogLabels(payload);
  const title = stripTitlePrefixes(payload.title);
  const status = datadogStatus(payload);
  const summary = cleanBody(payload.body ?? '') || payload.alert_status?.trim() || '';
  const fingerprint = payload.aggreg_key?.trim() || payload.alert_id?.trim() || labelFingerprint({ alertname: title, ...identityLabels(labels) });
  const startsAt = epochToIso(payload.date ?? payload.last_updated ?? now().getTime()) ?? now().toISOString();

  const alert: NormalizedAlert = {
    source: 'datadog',
    fingerprint,
    status,
    title,
    summary,
    severity: severityFor(labels, rules),
    startsAt,
    labels,
  };
  const service = serviceFromLabels(labels);
  if (service) alert.service = service;
  const details = topLevelText(body);
  const traceId = findTraceId({
    fields: [labels, details],
    text: [payload.title, payload.body ?? '', payload.alert_status ?? ''],
    decimalByDefault: true,
    exclude: [fingerprint],
  });
  if (traceId) alert.traceId = traceId;
  const runbookUrl = runbookUrlFrom(details);
  if (runbookUrl) alert.runbookUrl = runbookUrl;
  const dashboardUrl = firstHttpUrl([payload.link, ...urlsIn(payload.body ?? '')]);
  if (dashboardUrl) alert.dashboardUrl = dashboardUrl;
  if (status === 'resolved') {
    const endsAt = epochToIso(payload.last_updated ?? payload.date ?? now().getTime());
    if (endsAt) alert.endsAt = endsAt;
  }
  return [alert];
}

/** Tags first, then the structured variables, which are more deliberate than a tag of the same name. */
function datadogLabels(payload: DatadogWebhook): LabelSet {
  const labels: LabelSet = parseTags(payload.tags);
  const set = (key: string, value: string | undefined): void => {
    const v = value?.trim();
    if (v) labels[key] = v;
  };
  set('event_type', payload.event_type);
  set('alert_type', payload.alert_type);
  set('priority', payload.priority?.toUpperCase());
  set('host', payload.hostname);
  set('org', payload.org?.name);
  return labels;
}

// alert_type and priority change between the triggered and the recovered notification of one alert.
function identityLabels(labels: LabelSet): LabelSet {
  const { alert_type: _type, priority: _priority, ...identity } = labels;
  return identity;
}

/** `"env:prod,service:api,canary"` → `{ env: 'prod', service: 'api', canary: 'true' }`. */
export function parseTags(tags: string | readonly string[] | undefined): LabelSet {
  const list = typeof tags === 'string' ? tags.split(',') : (tags ?? []);
  const labels: LabelSet = {};
  for (const raw of list) {
    const tag = raw.trim();
    if (!tag) continue;
    const colon = tag.indexOf(':');
    // A bare tag ("canary") has no value; "true" keeps it matchable as canary="true".
    if (colon <= 0) labels[tag] = 'true';
    else labels[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  return labels;
}

function datadogStatus(payload: DatadogWebhook): 'firing' | 'resolved' {
  const transition = payload.alert_transition?.trim().toLowerCase();
  if (transition) return transition === 'recovered' ? 'resolved' : 'firing';
  if (payload.alert_type?.trim().toLowerCase() === 'success') return 'resolved';
  return /^\s*\[Recovered\b/i.test(payload.title) ? 'resolved' : 'firing';
}

function stripTitlePrefixes(title: string): string {
  let rest = title;
  while (TITLE_PREFIX.test(rest)) rest = rest.replace(TITLE_PREFIX, '');
  return rest.trim() || title.trim();
}

/** Removes Datadog's markdown fences (%%%), @-notification lines and rule separators from $EVENT_MSG. */
function cleanBody(body: string): string {
  return body
    .split('\n')
    .filter((line) => !/^\s*%%%\s*$/.test(line) && !/^\s*(?:@[\w.@+-]+\s*)+$/.test(line) && !/^\s*(?:-\s*){3,}$/.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function urlsIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s)\]>"']+/g)].map((m) => m[0]);
}

/** Every top-level string or number: custom fields such as "trace_id": "$..." or "runbook_url" live here. */
function topLevelText(body: unknown): LabelSet {
  const out: LabelSet = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = value;
    // An unquoted 64-bit id has already lost precision in JSON.parse: better no trace id than a wrong one.
    else if (typeof value === 'number' && Number.isSafeInteger(value)) out[key] = String(value);
  }
  return out;
}
