// Counting at the ports: each decorator wraps one port (chat, incident store, triage) or the Redis client and
// feeds the operator metrics, so neither the use cases nor the adapters know about Prometheus.
import { isSitrepError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { TimelineEvent } from '../domain/timeline.js';
import type { ChatPort } from '../incidents/chat-port.js';
import type { TriageOutcome, TriagePort, WindowQuery } from '../incidents/deps.js';
import type { IncidentStore } from '../incidents/store-port.js';
import type { RedisClient } from '../store/redis.js';
import { CHAT_METHODS, type Metrics } from './metrics.js';

/**
 * The chat port, with every call of a known method counted by platform, method and outcome. A Proxy, not a
 * copy: whatever else the adapter offers (methods added to ChatPort later) passes through untouched.
 */
export function meteredChat(chat: ChatPort, metrics: Metrics): ChatPort {
  const methods = new Set<string | symbol>(CHAT_METHODS);
  const wrapped = new Map<string | symbol, unknown>();
  return new Proxy(chat, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (!methods.has(prop) || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      if (!wrapped.has(prop)) {
        const method = prop as string;
        wrapped.set(prop, async (...args: unknown[]) => {
          try {
            const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            metrics.chatCalls.inc({ platform: target.platform, method, outcome: 'ok' });
            return result;
          } catch (err) {
            metrics.chatCalls.inc({ platform: target.platform, method, outcome: chatOutcome(err) });
            throw err;
          }
        });
      }
      return wrapped.get(prop);
    },
  });
}

function chatOutcome(err: unknown): string {
  if (isRateLimited(err)) return 'rate_limited';
  return isSitrepError(err) ? err.code : 'unexpected';
}

/** Slack's rate-limit error or an HTTP 429 (Bot Connector, Graph), anywhere in the cause chain. */
function isRateLimited(err: unknown): boolean {
  let e = err as { code?: string; statusCode?: number; status?: number; data?: { error?: string }; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e.code === 'slack_webapi_rate_limited_error' || e.statusCode === 429 || e.status === 429 || e.data?.error === 'ratelimited') return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** The incident store, counting what its timeline records: incidents declared and resolved, pages sent and acknowledged. */
export function meteredStore(store: IncidentStore, metrics: Metrics): IncidentStore {
  const count = (incident: Incident | undefined, events: readonly TimelineEvent[]) => {
    for (const e of events) {
      if (e.type === 'declared' && incident) metrics.incidentsDeclared.inc({ source: incident.source.kind, severity: incident.severity });
      else if (e.type === 'resolved' && incident) metrics.incidentsResolved.inc({ source: incident.source.kind, severity: incident.severity });
      // A page counts as sent once delivered: each level's delivery records its own 'paged'.
      else if (e.type === 'paged') metrics.pages.inc({ outcome: 'sent' });
      else if (e.type === 'page_skipped') metrics.pages.inc({ outcome: 'skipped' });
      else if (e.type === 'acknowledged') metrics.pages.inc({ outcome: 'acknowledged' });
    }
  };
  return Object.assign(Object.create(store) as IncidentStore, {
    async create(incident: Incident, events: Parameters<IncidentStore['create']>[1]) {
      const result = await store.create(incident, events);
      count(result.incident, result.appended);
      return result;
    },
    async update(id: string, change: Parameters<IncidentStore['update']>[1]) {
      const result = await store.update(id, change);
      count(result.incident, result.appended);
      return result;
    },
    async append(id: string, events: Parameters<IncidentStore['append']>[1]) {
      const appended = await store.append(id, events);
      count(undefined, appended);
      return appended;
    },
    async appendAndStatus(...args: Parameters<IncidentStore['appendAndStatus']>) {
      const result = await store.appendAndStatus(...args);
      count(undefined, result.appended);
      return result;
    },
  });
}

/** Triage runs by result and duration. */
export function meteredTriage(triage: TriagePort, metrics: Metrics): TriagePort {
  const timed = async (run: () => Promise<TriageOutcome>): Promise<TriageOutcome> => {
    const end = metrics.triageRuns.startTimer();
    try {
      const result = await run();
      end({ result: result.outcome });
      return result;
    } catch (err) {
      end({ result: 'error' });
      throw err;
    }
  };
  const runWindow = triage.runWindow?.bind(triage);
  return {
    traceUrl: (traceId) => triage.traceUrl(traceId),
    run: (traceId) => timed(() => triage.run(traceId)),
    ...(runWindow ? { runWindow: (query: WindowQuery) => timed(() => runWindow(query)) } : {}),
  };
}

/** Times every command the client sends and counts failures and connection errors. */
export function meterRedis(redis: RedisClient, metrics: Metrics): void {
  redis.on('error', () => metrics.redisErrors.inc());
  const send = redis.sendCommand.bind(redis) as (command: { promise: Promise<unknown> }, ...rest: unknown[]) => unknown;
  (redis as unknown as { sendCommand: typeof send }).sendCommand = (command, ...rest) => {
    const end = metrics.redisLatency.startTimer();
    const sent = send(command, ...rest);
    command.promise.then(
      () => end(),
      () => {
        end();
        metrics.redisErrors.inc();
      },
    );
    return sent;
  };
}
