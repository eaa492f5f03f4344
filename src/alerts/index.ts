// Alert intake: webhook bodies in, NormalizedAlerts and decisions out. Pure logic; HTTP and Redis live elsewhere.
export { AlertSource, AlertStatus, LabelSet, NormalizedAlert, TraceId } from './alert.js';
export { Severity, severityRank } from './severity.js';
export { AlertPayloadError, AlertRulesFileError } from './errors.js';

export { normalizeAlertmanager, AlertmanagerWebhook } from './sources/alertmanager.js';
export { normalizeGrafana, GrafanaWebhook } from './sources/grafana.js';
export { normalizeDatadog, DatadogWebhook } from './sources/datadog.js';
export { normalizeGeneric, GenericAlert, GenericBatch } from './sources/generic.js';
export type { NormalizeOptions } from './sources/options.js';

export { findTraceId, normalizeTraceId, type TraceIdSearch } from './trace-id.js';
export { labelFingerprint } from './fingerprint.js';
export { recogniseSender, type KnownSender } from './sniff.js';

export { parseMatcher, type Matcher } from './matchers.js';
export {
  severityFor,
  SeverityRule,
  DEFAULT_SEVERITY_RULES,
  DEFAULT_SEVERITY,
  type SeverityConfig,
} from './severity-rules.js';
export { routeAlert, Route, RouteAction, DEFAULT_ROUTES, type RouteDecision, type RoutingConfig } from './routing.js';
export { groupKey, GROUP_BY_ALL, type GroupKeyOptions } from './group-key.js';

export { AlertRules, DEFAULT_ALERT_RULES, loadAlertRules, parseAlertRules } from './rules-file.js';
export { authenticate, SourceAuthConfig, type AuthResult, type WebhookHeaders } from './auth.js';
