import type { LabelSet } from './alert.js';

// Most specific first: `job` is often a scrape job ("node-exporter"), so it only counts when nothing better is set.
const SERVICE_LABELS = [
  'service',
  'service.name',
  'service_name',
  'app.kubernetes.io/name',
  'app_kubernetes_io_name',
  'app',
  'application',
  'job',
] as const;

/** The service an alert is about, from the labels people and exporters conventionally set. */
export function serviceFromLabels(labels: LabelSet): string | undefined {
  for (const key of SERVICE_LABELS) {
    const value = labels[key]?.trim();
    if (value) return value;
  }
  return undefined;
}
