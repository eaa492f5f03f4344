import { readFile } from 'node:fs/promises';
import { TriageError } from '../errors.js';
import { parseTraceText } from '../formats/detect.js';
import type { FetchOutcome, TraceSource } from './source.js';

/**
 * A trace file or upload (OTLP JSON from the collector's file exporter, or any format sitrep
 * reads). Only spans of the requested trace are returned, so one export can hold many traces.
 */
export class FileTraceSource implements TraceSource {
  readonly kind = 'file';

  constructor(
    readonly name: string,
    private readonly load: () => Promise<string>,
  ) {}

  static fromPath(path: string, name = path): FileTraceSource {
    return new FileTraceSource(name, () => readFile(path, 'utf8'));
  }

  static fromText(text: string, name = 'upload'): FileTraceSource {
    return new FileTraceSource(name, () => Promise.resolve(text));
  }

  traceUrl(): string | null {
    return null;
  }

  async fetchTrace(traceId: string): Promise<FetchOutcome> {
    let text: string;
    try {
      text = await this.load();
    } catch (err) {
      return { status: 'unavailable', reason: `cannot read ${this.name} (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
    try {
      const id = traceId.toLowerCase().replace(/-/g, '');
      const spans = parseTraceText(text).spans.filter((s) => s.traceId === id || s.traceId.endsWith(id) || id.endsWith(s.traceId));
      return spans.length > 0 ? { status: 'found', spans } : { status: 'not_found', reason: `trace ${traceId} is not in ${this.name}` };
    } catch (err) {
      return { status: 'unavailable', reason: `${this.name}: ${err instanceof TriageError ? err.message : String(err)}` };
    }
  }
}
