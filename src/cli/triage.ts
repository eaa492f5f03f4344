import { parseArgs } from 'node:util';
import { Baseline } from '../triage/baseline.js';
import { readTraceFiles } from '../triage/files.js';
import { parseFocus } from '../triage/origin.js';
import { buildTree } from '../triage/tree.js';
import { analyseWindow } from '../triage/window.js';
import type { Span } from '../triage/span.js';
import {
  analyseTrace,
  createTraceSource,
  formatSummary,
  loadCatalog,
  loadTraceSources,
  traceLink,
  triage,
  type Focus,
  type OwnershipCatalog,
  type TriageResult,
  type TriageVerdict,
} from '../triage/index.js';

const USAGE = `usage: sitrep triage [options] <trace-file|dir>...
       sitrep triage [options] --window [--baseline <file|dir>]... <trace-file|dir>...
       sitrep triage [options] --trace-id <id> [--source <name>] [--sources <yaml>]

Finds where a failure starts in each trace and who owns it. Trace files may be Jaeger JSON,
Tempo/OTLP JSON (also the collector's file export) or Zipkin v2 JSON, mixed; the format is detected.
A file may hold several traces; folders are read recursively.

options:
  --catalog <file|dir>   Backstage catalog-info.yaml file or folder, or an ownership.yaml (repeatable)
  --ownership <file>     ownership.yaml: service (or glob) → team, optional default (repeatable)
  --json                 one JSON object per line
  --focus <mode>         auto (default), error(s) or latency
  --baseline <file|dir>  traces from before the incident (repeatable): errors that were already
                         there are discounted, latency is judged as a shift from normal
  --window               weigh all given traces together as one incident: one verdict
  --trace-id <id>        fetch this trace from a configured backend instead of reading files
  --source <name>        which configured source to use (default: all, first answer wins)
  --sources <yaml>       trace-sources file (default: $TRACE_SOURCES_FILE)
  --timeout <ms>         overall fetch budget for --trace-id (default 5000)
  --link <template>      deep-link template, e.g. https://jaeger.example/trace/{traceId}

exit status: 0 all verdicts printed, 1 a trace could not be read or fetched, 2 bad usage or config`;

type Line = Record<string, unknown>;

function jsonLine(v: TriageVerdict, extra: Line): Line {
  return {
    ...extra,
    traceId: v.traceId,
    origin: v.origin,
    owner: v.owner,
    path: v.path,
    confidence: v.confidence,
    confidenceLevel: v.confidenceLevel,
    reasons: v.reasons,
    ownerNote: v.ownerNote,
    suggestedOwner: v.suggestedOwner,
    ranked: v.ranked ?? [],
    alternatives: v.alternatives,
    link: v.link,
    ...(v.baselineTraces !== undefined ? { baselineTraces: v.baselineTraces } : {}),
  };
}

function fail(message: string): number {
  console.error(`sitrep triage: ${message}`);
  return 2;
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        catalog: { type: 'string', multiple: true },
        ownership: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        focus: { type: 'string' },
        baseline: { type: 'string', multiple: true },
        window: { type: 'boolean', default: false },
        'trace-id': { type: 'string' },
        source: { type: 'string' },
        sources: { type: 'string' },
        timeout: { type: 'string' },
        link: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return fail(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const focus = parseFocus(values.focus ?? 'auto');
  if (!focus) return fail(`--focus must be auto, error or latency, not "${values.focus}"`);
  if (!values['trace-id'] && positionals.length === 0) return fail(`give trace files or --trace-id\n\n${USAGE}`);

  let catalog: OwnershipCatalog | null = null;
  if (values.catalog || values.ownership) {
    try {
      catalog = await loadCatalog({ catalog: values.catalog ?? [], ownership: values.ownership ?? [] });
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
  }

  const print = (result: TriageResult, extra: Line, label: string): void => {
    if (values.json) {
      console.log(JSON.stringify(result.status === 'found' ? jsonLine(result, extra) : { ...extra, ...result }));
    } else {
      console.log(`${label}: ${formatSummary(result)}`);
    }
  };

  if (values['trace-id']) {
    return fetchAndPrint(values['trace-id'], values, catalog, focus, print);
  }

  let failures = 0;
  const report = (file: string, error: string): void => {
    console.error(`sitrep triage: ${file}: ${error}`);
    failures++;
  };
  let baseline: Span[][] = [];
  try {
    for await (const read of readTraceFiles(values.baseline ?? [])) {
      if ('error' in read) report(read.file, read.error);
      else baseline = baseline.concat(read.traces);
    }
  } catch (err) {
    return fail(`--baseline: ${err instanceof Error ? err.message : String(err)}`);
  }

  if (values.window) {
    let traces: Span[][] = [];
    let files = 0;
    try {
      for await (const read of readTraceFiles(positionals)) {
        if ('error' in read) report(read.file, read.error);
        else {
          traces = traces.concat(read.traces);
          files++;
        }
      }
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
    const verdict = analyseWindow(traces, baseline, { catalog, focus, source: null });
    const extra = { traces: verdict.window!.traces, baselineTraces: verdict.window!.baselineTraces, files };
    print(verdict, extra, `${extra.traces} traces`);
    return failures > 0 || traces.length === 0 ? 1 : 0;
  }

  let model: Baseline | undefined;
  if (baseline.length > 0) {
    model = new Baseline();
    for (const spans of baseline) model.add(buildTree(spans));
  }
  try {
    for await (const read of readTraceFiles(positionals)) {
      if ('error' in read) {
        report(read.file, read.error);
        continue;
      }
      for (const spans of read.traces) {
        const link = values.link ? traceLink(values.link, { traceId: spans[0]!.traceId }) : null;
        const verdict = analyseTrace(spans, { catalog, focus, source: read.file, link, ...(model ? { baseline: model } : {}) });
        const label = read.traces.length > 1 ? `${read.file} (trace ${verdict.traceId})` : read.file;
        print(verdict, { file: read.file, format: read.format }, label);
      }
    }
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  return failures > 0 ? 1 : 0;
}

async function fetchAndPrint(
  traceId: string,
  values: { source?: string; sources?: string; timeout?: string; link?: string },
  catalog: OwnershipCatalog | null,
  focus: Focus,
  print: (r: TriageResult, extra: Line, label: string) => void,
): Promise<number> {
  const file = values.sources ?? process.env.TRACE_SOURCES_FILE;
  if (!file) return fail('--trace-id needs trace sources: pass --sources <yaml> or set TRACE_SOURCES_FILE');
  let configs;
  try {
    configs = await loadTraceSources(file);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (values.source) {
    configs = configs.filter((c) => c.name === values.source);
    if (configs.length === 0) return fail(`no source named "${values.source}" in ${file}`);
  }
  const timeoutMs = values.timeout ? Number(values.timeout) : undefined;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) return fail(`--timeout must be a number of milliseconds, not "${values.timeout}"`);
  const result = await triage({
    traceId,
    sources: configs.map(createTraceSource),
    catalog,
    focus,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(values.link ? { linkTemplate: values.link } : {}),
  });
  print(result, { source: result.status === 'found' ? result.source : (values.source ?? null) }, traceId);
  return result.status === 'found' ? 0 : 1;
}
