import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTraceText, type TraceFormat } from './formats/detect.js';
import type { Span } from './span.js';
import { splitTraces } from './window.js';

// Trace files as people have them: single traces, search answers holding many, collector exports,
// folders of all of these in every format. Read one file at a time, so memory follows the traces
// kept, not the size of what was read.

export interface TraceFile {
  file: string;
  format: TraceFormat;
  /** The file's spans grouped by trace id. */
  traces: Span[][];
}

export type TraceFileResult = TraceFile | { file: string; error: string };

/** Files under the given paths, folders read recursively (only `.json` / `.jsonl` / `.ndjson` in folders), sorted. */
export async function traceFilePaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (!info.isDirectory()) {
      out.push(path);
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile() && /\.(json|jsonl|ndjson)$/i.test(e.name))
      .map((e) => join(e.parentPath, e.name))
      .sort();
    out.push(...files);
  }
  return out;
}

export async function* readTraceFiles(paths: readonly string[]): AsyncGenerator<TraceFileResult> {
  for (const file of await traceFilePaths(paths)) {
    let text: string;
    try {
      // Synchronous on purpose: thousands of small files are read one after the other, and the async
      // API's open/stat/read/close round trips through the thread pool cost more than the reading.
      text = readFileSync(file, 'utf8');
    } catch (err) {
      yield { file, error: `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
      continue;
    }
    try {
      const { spans, format } = parseTraceText(text);
      if (spans.length === 0) throw new Error(`no spans in this ${format} trace`);
      yield { file, format, traces: splitTraces(spans) };
    } catch (err) {
      yield { file, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
