import type { LabelSet, NormalizedAlert } from './alert.js';

/**
 * Labels that usually tell one alert group from another, most telling first: what names an incident when
 * the sender gave no group labels and the rules group by nothing but the alert's name.
 */
const TELLING_LABELS = ['service', 'job', 'namespace', 'cluster', 'instance', 'host', 'name', 'pod', 'container', 'region', 'env'];
/** Labels that never tell groups apart in a name: the name itself, and how bad it is. */
const NOT_NAMES = new Set(['alertname', 'severity', 'priority', '...']);
const SEPARATOR = ' · ';
const MAX_VALUES = 3;
const MAX_TITLE = 200;

/**
 * The labels that make an alert group distinct, in a predictable order:
 * 1. the sender's group labels (Alertmanager `groupLabels`) other than alertname;
 * 2. else the labels sitrep groups by (`groupBy` of the rules file), `service` meaning the alert's service;
 * 3. else the first of the usual telling labels (service, job, namespace…) all the group's alerts share.
 * Empty values are left out; at most three.
 */
export function distinctLabels(alerts: readonly NormalizedAlert[], groupBy: readonly string[]): [string, string][] {
  const lead = alerts[0];
  if (!lead) return [];
  const fromSender = ordered(Object.entries(lead.groupLabels ?? {}));
  if (fromSender.length) return fromSender.slice(0, MAX_VALUES);
  const fromRules = ordered(groupBy.filter((name) => name !== 'source').map((name) => [name, name === 'service' ? (lead.service ?? lead.labels.service ?? '') : (lead.labels[name] ?? '')]));
  if (fromRules.length) return fromRules.slice(0, MAX_VALUES);
  const shared = TELLING_LABELS.filter((name) => lead.labels[name] && alerts.every((a) => a.labels[name] === lead.labels[name]));
  return shared.slice(0, 1).map((name) => [name, lead.labels[name]!]);
}

/**
 * `HighErrorRate · payments`: the alert's title and the values that make its group distinct, so two incidents
 * of one rule (payments, checkout) can be told apart in the list, the card and the channel name. A value the
 * title already says is not repeated.
 */
export function alertIncidentTitle(alerts: readonly NormalizedAlert[], groupBy: readonly string[]): string {
  const base = alerts[0]?.title ?? 'Untitled alert';
  const said = base.toLowerCase();
  const values = [...new Set(distinctLabels(alerts, groupBy).map(([, v]) => v.trim()))].filter((v) => v && !said.includes(v.toLowerCase()));
  if (!values.length) return base.slice(0, MAX_TITLE);
  const tail = values.join(SEPARATOR);
  // The distinct part must survive the length limit: the title gives way first.
  const room = MAX_TITLE - tail.length - SEPARATOR.length;
  return room >= 20 ? `${base.slice(0, room).trim()}${SEPARATOR}${tail}` : `${base}${SEPARATOR}${tail}`.slice(0, MAX_TITLE);
}

/** Labels of `alert` whose value differs from `first`'s (or that `first` lacks): what a joining alert adds. */
export function differingLabels(first: LabelSet, alert: NormalizedAlert): [string, string][] {
  return Object.entries(alert.labels)
    .filter(([k, v]) => !NOT_NAMES.has(k) && first[k] !== v)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

function ordered(entries: [string, string][]): [string, string][] {
  return entries.filter(([k, v]) => !NOT_NAMES.has(k) && v.trim()).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(label: string): number {
  const i = TELLING_LABELS.indexOf(label);
  return i === -1 ? TELLING_LABELS.length : i;
}
