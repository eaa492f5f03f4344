// Public API of the triage engine: find where a failure starts in a distributed trace and who owns it.

export { triage, analyseTrace, DEFAULT_TRIAGE_TIMEOUT_MS, type TriageOptions, type AnalyseOptions } from './triage.js';
export { formatSummary } from './summary.js';
export { traceLink } from './link.js';
export {
  triageResultSchema,
  triageVerdictSchema,
  originSchema,
  pathHopSchema,
  alternativeSchema,
  confidenceLevel,
  type TriageResult,
  type TriageVerdict,
  type Origin,
  type PathHop,
  type Alternative,
  type ConfidenceLevel,
} from './verdict.js';
export { spanSchema, type Span, type SpanKind, type SpanStatus } from './span.js';
export { parseTraceText, parseTraceJson, type ParsedTrace, type TraceFormat } from './formats/detect.js';
export { buildTree, type SpanTree } from './tree.js';
export { findOrigin, type Focus, type OriginCandidate, type OriginAnalysis } from './origin.js';
export { criticalPath, type CriticalStep } from './critical-path.js';
export { latencyProfile, type LatencyProfile, type LatencyUnit } from './latency.js';
export { TriageError, TraceFormatError, CatalogError, SourcesConfigError, type TriageErrorCode } from './errors.js';
export {
  OwnershipCatalog,
  ownerSchema,
  normaliseServiceName,
  TELEMETRY_SERVICES_ANNOTATION,
  SLACK_CHANNEL_ANNOTATIONS,
  TEAMS_CHANNEL_ANNOTATIONS,
  type Owner,
} from './catalog/catalog.js';
export { loadCatalog, loadEntities, loadOwnershipFiles, type CatalogPaths } from './catalog/load.js';
export { parseCatalogYaml } from './catalog/backstage.js';
export { parseOwnershipYaml, ownershipFileSchema, type OwnershipFile } from './catalog/ownership-file.js';
export type { TraceSource, FetchOutcome, FetchTraceOptions } from './sources/source.js';
export { JaegerSource } from './sources/jaeger.js';
export { TempoSource, type TempoSourceOptions } from './sources/tempo.js';
export { ZipkinSource } from './sources/zipkin.js';
export { FileTraceSource } from './sources/file.js';
export { type HttpSourceOptions, DEFAULT_SOURCE_TIMEOUT_MS, DEFAULT_SOURCE_RETRIES } from './sources/http-source.js';
export type { Auth } from './sources/http.js';
export {
  traceSourceConfigSchema,
  traceSourcesFileSchema,
  parseTraceSources,
  loadTraceSources,
  createTraceSource,
  type TraceSourceConfig,
} from './sources/config.js';
