import { z } from 'zod';
import { actorLabel } from './actor.js';
import type { Incident } from './incident.js';
import { Severity } from './severity.js';
import { isOpen, Status } from './status.js';

/** One row of the incident list: what a person scans for, small enough to keep 10,000 of in one hash. */
export const IncidentRow = z.object({
  id: z.string(),
  number: z.number().int().positive(),
  version: z.number().int().nonnegative(),
  title: z.string(),
  severity: Severity,
  status: Status,
  lead: z.string().optional(),
  team: z.string().optional(),
  services: z.array(z.string()),
  source: z.string(),
  declaredAt: z.string(),
  roomUrl: z.string().optional(),
  roomName: z.string().optional(),
});
export type IncidentRow = z.infer<typeof IncidentRow>;

export function summarize(incident: Incident): IncidentRow {
  return {
    id: incident.id,
    number: incident.number,
    version: incident.version,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    ...(incident.roles.lead ? { lead: actorLabel(incident.roles.lead) } : {}),
    ...(incident.suspectedOwner ? { team: incident.suspectedOwner.team } : {}),
    services: incident.affectedServices,
    source: incident.source.kind === 'alert' ? (incident.source.detail ?? 'alert') : incident.source.kind,
    declaredAt: incident.declaredAt,
    ...(incident.room?.url ? { roomUrl: incident.room.url } : {}),
    ...(incident.room?.name ? { roomName: incident.room.name } : {}),
  };
}

/** Filters of the incident list; every field narrows, none set lists everything. */
export const IncidentQuery = z.object({
  status: z.enum([...Status.options, 'open']).optional(),
  severity: Severity.optional(),
  team: z.string().trim().min(1).optional(),
  service: z.string().trim().min(1).optional(),
  source: z.string().trim().min(1).optional(),
  search: z.string().trim().min(1).max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type IncidentQuery = z.infer<typeof IncidentQuery>;

export interface IncidentPage {
  rows: IncidentRow[];
  total: number;
  page: number;
  pageSize: number;
}

export function matches(row: IncidentRow, query: IncidentQuery): boolean {
  if (query.status === 'open' ? !isOpen(row.status) : query.status && row.status !== query.status) return false;
  if (query.severity && row.severity !== query.severity) return false;
  if (query.team && row.team !== query.team) return false;
  if (query.service && !row.services.includes(query.service)) return false;
  if (query.source && row.source !== query.source) return false;
  if (query.search && !row.title.toLowerCase().includes(query.search.toLowerCase())) return false;
  return true;
}

/** Open incidents first (newest first), then history (newest first). */
export function listOrder(a: IncidentRow, b: IncidentRow): number {
  const open = Number(isOpen(b.status)) - Number(isOpen(a.status));
  return open || b.number - a.number;
}
