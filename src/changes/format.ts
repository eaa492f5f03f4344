import { tz } from '@date-fns/tz';
// The subpath: the package index loads all ~300 date-fns modules at start-up.
import { format } from 'date-fns/format';
import type { Change } from '../domain/change.js';
import { lastMoveBefore } from './fold.js';

export interface ChangeLineOptions {
  timeZone: string;
  /** The moment the incident began: "12 min before the incident". */
  anchor?: string;
  /** How the platform writes a link (Slack `<url|text>`, Markdown `[text](url)`); without it, no link. */
  link?: (text: string, url: string) => string;
}

/** "user-directory: deploy v2.3.1 by maria, 12 min before the incident, 10% at 02:50 → 100% at 03:02 — link" */
export function changeLine(change: Change, options: ChangeLineOptions): string {
  const time = (iso: string) => format(new Date(iso), 'HH:mm', { in: tz(options.timeZone) });
  const what = [change.kind, change.version].filter(Boolean).join(' ');
  const parts = [`${change.service}: ${what}${change.environment ? ` to ${change.environment}` : ''}${change.by ? ` by ${change.by}` : ''}`];
  const anchorMs = options.anchor ? Date.parse(options.anchor) : undefined;
  const moved = anchorMs === undefined ? undefined : lastMoveBefore(change, anchorMs);
  if (anchorMs !== undefined && moved !== undefined) parts.push(`${minutesText(anchorMs - moved)} before the incident`);
  else parts.push(`at ${time(change.startedAt)}`);
  if (change.phases.length > 1 || (change.phases[0] && change.phases[0].rollout < 100)) {
    parts.push(change.phases.map((p) => `${p.rollout}% at ${time(p.at)}`).join(' → '));
  }
  if (change.state && change.state !== 'success') parts.push(change.state);
  const line = parts.join(', ');
  return change.url && options.link ? `${line} — ${options.link('link', change.url)}` : line;
}

function minutesText(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'less than a minute';
  if (min < 120) return `${min} min`;
  return `${Math.round(min / 60)} h`;
}

/** The card's list: at most `max` changes, one line each, and how many more `/incident changes` would show. */
export function changeLines(changes: readonly Change[], options: ChangeLineOptions & { max: number }): { lines: string[]; more: number } {
  return { lines: changes.slice(0, options.max).map((c) => changeLine(c, options)), more: Math.max(0, changes.length - options.max) };
}
