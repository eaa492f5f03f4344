import { metricList } from '../domain/metrics.js';
import type { PostmortemView } from '../incidents/chat-port.js';
import type { PostmortemFacts } from './facts.js';
import { formatDuration } from './time.js';

/** The part of a postmortem card that comes from the draft's facts; the service adds revision, author and links. */
export type PostmortemDigest = Pick<PostmortemView, 'metrics' | 'origin' | 'actionItems' | 'flagged'>;

/** The draft at a glance: the same facts the Markdown is rendered from, as plain values (no Markdown). */
export function digestOf(f: PostmortemFacts): PostmortemDigest {
  const t = f.triage;
  const traceUrl = f.input.incident.triage?.traceUrl ?? t?.verdict?.link ?? undefined;
  return {
    metrics: metricList(f.metrics).map((m) => ({
      name: m.name,
      ...(m.value === undefined ? {} : { value: m.unit === 'count' ? String(m.value) : formatDuration(m.value) }),
    })),
    ...(t?.event.outcome === 'ok' ? { origin: { summary: t.event.summary, ...(traceUrl ? { traceUrl } : {}) } } : {}),
    actionItems: f.actionItems.map((a) => ({ text: a.text, ...(a.owner ? { owner: f.label(a.owner) } : {}) })),
    flagged: f.findings.map((x) => ({ phrase: x.phrase, source: x.source, suggestion: x.suggestion })),
  };
}
