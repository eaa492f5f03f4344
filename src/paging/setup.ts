// Builds paging for the composition root: oncall.yaml, the providers, the durable timers and this replica's
// worker, and the PagerDuty webhook route.
import { SitrepError } from '../domain/errors.js';
import type { IncidentDeps } from '../incidents/deps.js';
import type { Logger } from '../log.js';
import type { Handler } from '../server/http.js';
import type { RedisClient } from '../store/redis.js';
import type { OncallConfig } from './config.js';
import { OncallConfigError } from './errors.js';
import { loadOncallConfig } from './load-config.js';
import { pagerDutyWebhookRoute } from './pagerduty-route.js';
import { createPagerDutyPager, routingKeysFromConfig } from './providers/pagerduty.js';
import { PagingService } from './service.js';
import { PagingTimers, type PagingTimersOptions } from './timers.js';

/** Reads ONCALL_FILE; a mistake stops start-up with every `file:line: path: reason`. */
export async function loadPagingConfig(file: string): Promise<OncallConfig> {
  try {
    return await loadOncallConfig(file);
  } catch (err) {
    if (err instanceof OncallConfigError) {
      throw new SitrepError('invalid_input', `ONCALL_FILE has problems:\n  ${err.message.split('\n').join('\n  ')}`, { cause: err });
    }
    throw err;
  }
}

export interface PagingSettings {
  config: OncallConfig;
  keyPrefix: string;
  pagerdutyEventsUrl: string;
  webhookSecret?: string;
  observe?: PagingTimersOptions['observe'];
}

export interface Paging {
  service: PagingService;
  /** Handler for POST /hooks/pagerduty. */
  webhook: Handler;
  timers: PagingTimers;
  stop(graceMs?: number): Promise<void>;
}

export async function startPaging(settings: PagingSettings, deps: IncidentDeps, redis: RedisClient, logger: Logger): Promise<Paging> {
  const log = logger.child({ component: 'paging' });
  const timers = new PagingTimers(redis, { keyPrefix: settings.keyPrefix, logger: log, ...(settings.observe ? { observe: settings.observe } : {}) });
  const usesPagerDuty = Object.values(settings.config.teams).some((t) => t.provider === 'pagerduty');
  const pagerduty = usesPagerDuty
    ? createPagerDutyPager({ baseUrl: settings.pagerdutyEventsUrl, routingKeyFor: routingKeysFromConfig(settings.config), logger: log })
    : undefined;
  const service = new PagingService({ config: settings.config, deps, timers, ...(pagerduty ? { pagerduty } : {}) });
  timers.start(service.handle);
  await timers.ready();
  return {
    service,
    timers,
    webhook: pagerDutyWebhookRoute({ secret: settings.webhookSecret, config: settings.config, service }),
    stop: (graceMs?: number) => timers.close(graceMs),
  };
}
