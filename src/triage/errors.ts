// Coded errors, so the bot and the CLI can tell them apart and say what to do next.

export type TriageErrorCode = 'TRACE_FORMAT' | 'CATALOG_INVALID' | 'SOURCES_INVALID';

export class TriageError extends Error {
  constructor(
    readonly code: TriageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The bytes are not a trace in any format sitrep reads (Jaeger, Tempo/OTLP, Zipkin v2). */
export class TraceFormatError extends TriageError {
  constructor(message: string) {
    super('TRACE_FORMAT', message);
  }
}

/** A catalog or ownership file that cannot be used; the message names the file and, for YAML, the line. */
export class CatalogError extends TriageError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null = null,
  ) {
    super('CATALOG_INVALID', `${file}${line !== null ? `:${line}` : ''}: ${message}`);
  }
}

/** The trace-sources YAML file is unusable. */
export class SourcesConfigError extends TriageError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super('SOURCES_INVALID', `${file}: ${message}`);
  }
}
