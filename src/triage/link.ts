/**
 * Deep link into a tracing UI from a template such as `https://jaeger.example/trace/{traceId}` or
 * `https://grafana.example/explore?...{traceId}...`. Placeholders: {traceId} (also {traceID},
 * {trace_id}), {spanId}, {service}; values are URL-encoded.
 */
export function traceLink(template: string, values: { traceId: string; spanId?: string; service?: string }): string {
  return template.replace(/\{(traceId|traceID|trace_id|spanId|spanID|span_id|service)\}/g, (_, key: string) => {
    const k = key.toLowerCase().replace('_', '');
    const v = k === 'traceid' ? values.traceId : k === 'spanid' ? values.spanId : values.service;
    return encodeURIComponent(v ?? '');
  });
}
