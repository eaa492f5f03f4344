import { z } from 'zod';
import { describeIssues } from '../../alerts/issues.js';
import { toIsoOrUndefined } from '../../alerts/time.js';
import type { ChangeEvent, ChangeKind } from '../../domain/change.js';
import { ChangePayloadError } from '../errors.js';

const User = z.object({ login: z.string() }).nullish();

/**
 * The parts of GitHub's `deployment_status` webhook sitrep reads
 * (https://docs.github.com/webhooks/webhook-events-and-payloads#deployment_status).
 */
export const DeploymentStatusEvent = z.object({
  action: z.string(),
  deployment_status: z.object({
    id: z.number(),
    state: z.string(),
    creator: User,
    description: z.string().nullish(),
    environment: z.string().nullish(),
    target_url: z.string().nullish(),
    environment_url: z.string().nullish(),
    log_url: z.string().nullish(),
    created_at: z.string(),
    updated_at: z.string().nullish(),
  }),
  deployment: z.object({
    id: z.number(),
    sha: z.string(),
    ref: z.string(),
    task: z.string().nullish(),
    /** Free JSON the deployer sets; `service` here names the service when it is not the repository. */
    payload: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
    environment: z.string().nullish(),
    description: z.string().nullish(),
    creator: User,
    created_at: z.string(),
  }),
  repository: z.object({ name: z.string(), full_name: z.string(), html_url: z.string() }),
});
export type DeploymentStatusEvent = z.infer<typeof DeploymentStatusEvent>;

/** GitHub's terminal deployment states: the deployment finished then (successfully or not). */
const FINISHED = new Set(['success', 'failure', 'error', 'inactive']);

/** A `deployment_status` webhook → one change event of the deployment `github:<repo>#<deployment id>`. */
export function normalizeDeploymentStatus(body: unknown): ChangeEvent {
  const result = DeploymentStatusEvent.safeParse(body, { reportInput: true });
  if (!result.success) throw new ChangePayloadError('github', `not a deployment_status event: ${describeIssues(result.error.issues)}`);
  const { deployment: d, deployment_status: s, repository: repo } = result.data;
  const at = toIsoOrUndefined(s.created_at) ?? new Date().toISOString();
  const url = [s.target_url, s.log_url, s.environment_url].find((u) => u && /^https?:\/\//.test(u)) ?? `${repo.html_url}/commit/${d.sha}`;
  const version = d.ref === d.sha ? d.sha.slice(0, 7) : `${d.ref} (${d.sha.slice(0, 7)})`;
  return {
    eventId: `github:${repo.full_name}:status:${s.id}`,
    changeId: `github:${repo.full_name}#${d.id}`,
    service: serviceOf(d.payload) ?? repo.name,
    kind: kindOf(d.task),
    version,
    environment: s.environment ?? d.environment ?? undefined,
    startedAt: toIsoOrUndefined(d.created_at) ?? at,
    finishedAt: FINISHED.has(s.state) ? at : undefined,
    by: d.creator?.login ?? s.creator?.login,
    url,
    state: s.state,
    description: s.description || d.description || undefined,
    source: 'github',
    at,
  };
}

function serviceOf(payload: DeploymentStatusEvent['deployment']['payload']): string | undefined {
  let value: unknown = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const service = (value as Record<string, unknown> | null | undefined)?.service;
  return typeof service === 'string' && service.trim() ? service.trim() : undefined;
}

function kindOf(task: string | null | undefined): ChangeKind {
  return task && /rollback/i.test(task) ? 'rollback' : 'deploy';
}
