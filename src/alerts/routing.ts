import { z } from 'zod';
import type { NormalizedAlert } from './alert.js';
import { MatcherList, matchesAll, type FieldLookup } from './matchers.js';
import { isSeverity } from './severity.js';

export const RouteAction = z.enum(['incident', 'post', 'ignore']);
export type RouteAction = z.infer<typeof RouteAction>;

/**
 * `{ match: ['team="payments"', 'severity<=SEV2'], action: incident }`. In routes `severity` is sitrep's
 * SEV1–SEV4 (already decided by the severity rules), so it can be compared with <, <=, >, >=.
 */
export const Route = z
  .strictObject({
    match: MatcherList,
    action: RouteAction,
    /** Only for `post`: the channel to post to instead of the default alerts channel. */
    channel: z.string().trim().min(1).optional(),
  })
  .superRefine((route, ctx) => {
    if (route.channel !== undefined && route.action !== 'post') {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: `only applies to action: post (this route is action: ${route.action})` });
    }
    route.match.forEach((m, i) => {
      if (m.name === 'severity' && (m.op === '=' || m.op === '!=') && !isSeverity(m.value)) {
        ctx.addIssue({
          code: 'custom',
          path: ['match', i],
          message: `compares sitrep's severity, which is SEV1–SEV4, never "${m.value}" (map label values to SEVn in the severity rules)`,
        });
      }
    });
  });
export type Route = z.infer<typeof Route>;

export interface RouteDecision {
  action: RouteAction;
  channel?: string;
  /** Index of the matching rule in your `routes`, or null when the built-in default decided. */
  rule: number | null;
}

export interface RoutingConfig {
  /** Tried in order; whatever none matches falls through to the defaults. */
  routes: readonly Route[];
}

/** SEV1–SEV2 open an incident, SEV3–SEV4 are posted to the alerts channel. */
export const DEFAULT_ROUTES: readonly Route[] = z.array(Route).parse([
  { match: ['severity<=SEV2'], action: 'incident' },
  { match: [], action: 'post' },
]);

export function routeAlert(alert: NormalizedAlert, config: RoutingConfig = { routes: [] }): RouteDecision {
  const lookup = routingLookup(alert);
  const index = config.routes.findIndex((route) => matchesAll(route.match, lookup));
  const route = index >= 0 ? config.routes[index] : DEFAULT_ROUTES.find((r) => matchesAll(r.match, lookup));
  if (!route) return { action: 'post', rule: null };
  const decision: RouteDecision = { action: route.action, rule: index >= 0 ? index : null };
  if (route.channel !== undefined) decision.channel = route.channel;
  return decision;
}

/** Labels, plus `source`, `service` and `status` as if they were labels (a real label of that name wins). */
function routingLookup(alert: NormalizedAlert): FieldLookup {
  return (name) => {
    if (name === 'severity') return alert.severity;
    const label = alert.labels[name];
    if (label !== undefined) return label;
    if (name === 'source') return alert.source;
    if (name === 'service') return alert.service ?? '';
    if (name === 'status') return alert.status;
    return '';
  };
}
