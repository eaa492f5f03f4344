// Pages a team through PagerDuty: one PagerDuty alert per sitrep incident, keyed `sitrep-<incidentId>`, so
// every escalation level re-triggers the same alert and acknowledge/resolve find it again.
// PagerDuty's own escalation policy decides whom it rings; the users we resolved ride along as details.
import type { OncallConfig } from '../config.js';
import { PagingError } from '../errors.js';
import type { PageRef, PageRequest, PageResult, Pager, Severity } from '../pager.js';
import {
  createPagerDutyEventsClient,
  type PagerDutyEvent,
  type PagerDutyEventsClient,
  type PagerDutyEventsOptions,
} from './pagerduty-events.js';

const DEDUP_PREFIX = 'sitrep-';
const SUMMARY_LIMIT = 1024;

export const PAGERDUTY_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  SEV1: 'critical',
  SEV2: 'error',
  SEV3: 'warning',
  SEV4: 'info',
};

export function dedupKeyFor(incidentId: string): string {
  return `${DEDUP_PREFIX}${incidentId}`;
}

/** The sitrep incident id inside a dedup key we created, or undefined for alerts raised by someone else. */
export function incidentIdFromDedupKey(dedupKey: string): string | undefined {
  return dedupKey.startsWith(DEDUP_PREFIX) && dedupKey.length > DEDUP_PREFIX.length
    ? dedupKey.slice(DEDUP_PREFIX.length)
    : undefined;
}

export type PagerDutyPagerOptions = PagerDutyEventsOptions & {
  /** The Events API v2 routing (integration) key of the team's PagerDuty service. */
  routingKeyFor: (team: string) => string;
  /** `payload.source`; defaults to "sitrep". */
  source?: string;
  /** Inject a client, e.g. one shared across pagers; otherwise one is made from the options. */
  client?: PagerDutyEventsClient;
};

export function createPagerDutyPager(options: PagerDutyPagerOptions): Pager {
  const client = options.client ?? createPagerDutyEventsClient(options);
  const source = options.source ?? 'sitrep';

  async function send(team: string, event: Omit<PagerDutyEvent, 'routing_key'>): Promise<string> {
    const routingKey = options.routingKeyFor(team);
    try {
      const { dedupKey } = await client.send({ routing_key: routingKey, ...event });
      return dedupKey;
    } catch (err) {
      if (err instanceof PagingError) {
        throw new PagingError(err.code, `Paging team "${team}" through PagerDuty failed. ${err.message}`, { cause: err });
      }
      throw err;
    }
  }

  return {
    async page(request: PageRequest): Promise<PageResult> {
      const externalKey = await send(request.team, triggerEvent(request, source));
      return { provider: 'pagerduty', externalKey };
    },
    async acknowledge(ref: PageRef): Promise<void> {
      await send(ref.team, { event_action: 'acknowledge', dedup_key: dedupKeyFor(ref.incidentId) });
    },
    async resolve(ref: PageRef): Promise<void> {
      await send(ref.team, { event_action: 'resolve', dedup_key: dedupKeyFor(ref.incidentId) });
    },
  };
}

function triggerEvent(request: PageRequest, source: string): Omit<PagerDutyEvent, 'routing_key'> {
  const { incident } = request;
  const reference = `INC-${incident.number}`;
  const details: Record<string, unknown> = {
    incident: reference,
    incident_id: incident.id,
    severity: incident.severity,
    team: request.team,
    escalation_level: request.level + 1,
    paged_users: request.users.map((u) => u.name),
  };
  if (request.message) details.message = request.message;
  if (incident.channelUrl) details.channel = incident.channelUrl;
  return {
    event_action: 'trigger',
    dedup_key: dedupKeyFor(incident.id),
    payload: {
      summary: truncate(`[${incident.severity}] ${reference}: ${incident.title}`, SUMMARY_LIMIT),
      source,
      severity: PAGERDUTY_SEVERITY[incident.severity],
      group: request.team,
      custom_details: details,
    },
    client: 'sitrep',
    ...(incident.channelUrl
      ? { client_url: incident.channelUrl, links: [{ href: incident.channelUrl, text: `${reference} incident channel` }] }
      : {}),
  };
}

function truncate(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

/**
 * Routing keys from oncall.yaml: `teams.<team>.pagerduty.routingKey`, or the environment variable named by
 * `routingKeyEnv` (read when paging, so a rotated key needs no restart of the config loader).
 */
export function routingKeysFromConfig(
  config: OncallConfig,
  env: NodeJS.ProcessEnv = process.env,
): (team: string) => string {
  return (team) => {
    const settings = config.teams[team]?.pagerduty;
    if (settings?.routingKey) return settings.routingKey;
    if (settings?.routingKeyEnv) {
      const key = env[settings.routingKeyEnv];
      if (key) return key;
      throw new PagingError(
        'PAGERDUTY_NOT_CONFIGURED',
        `Team "${team}" pages through PagerDuty but the environment variable ${settings.routingKeyEnv} is not set. Set it to the service's Events API v2 integration key.`,
      );
    }
    throw new PagingError(
      'PAGERDUTY_NOT_CONFIGURED',
      `Team "${team}" has no PagerDuty routing key. Add teams.${team}.pagerduty.routingKey (or routingKeyEnv) to oncall.yaml.`,
    );
  };
}
