import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMATS, serialise } from './helpers/scenario.js';
import { cascade } from './helpers/scenarios.js';
import { fakeBackend, json, type FakeBackend } from './helpers/fake-backend.js';
import { ownFixture, repoRoot, traceFixture } from './helpers/paths.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sitrep(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'src/cli/main.ts', 'triage', ...args], { cwd: repoRoot, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const lines = (stdout: string): Array<Record<string, unknown>> =>
  stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);

const cascadeFile = (format: string): string => ownFixture(`traces/cascade.${format}.json`);

// Each case starts the CLI in a process of its own (tsx compiles on the way): slow on a busy machine.
describe('sitrep triage', { timeout: 60_000 }, () => {
  const backends: FakeBackend[] = [];
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
  });

  it('keeps the committed cascade fixtures in step with the scenario they were generated from', () => {
    for (const format of FORMATS) expect(readFileSync(cascadeFile(format), 'utf8')).toBe(`${serialise(cascade.scenario, format)}\n`);
  });

  it('prints one JSON verdict per trace file, whatever the format, and flags a file that is not a trace', async () => {
    const files = [...FORMATS.map(cascadeFile), ownFixture('not-a-trace.json'), traceFixture('otlp_synthetic_sibling_errors.json')];
    const run = await sitrep(['--catalog', ownFixture('catalog'), '--json', ...files]);
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out.map((l) => l.file)).toEqual(files.filter((f) => !f.endsWith('not-a-trace.json')));
    for (const verdict of out.slice(0, FORMATS.length)) {
      expect(verdict).toMatchObject({
        origin: { kind: 'error', service: 'user-directory', operation: 'SELECT users', message: 'relation users does not exist' },
        owner: { team: 'team-directory', ref: 'group:default/team-directory' },
      });
      expect((verdict.path as Array<{ service: string; status: string }>).map((h) => `${h.service} ${h.status}`)).toEqual([
        'storefront 500',
        'checkout 500',
        'auth 401',
        'user-directory 500',
      ]);
      expect(verdict.confidence).toEqual(expect.any(Number));
    }
    expect(out[FORMATS.length]).toMatchObject({ origin: { service: 'payment', spanId: 'd4e5f60718293a4b' }, owner: null });
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('sitrep'));
    expect(errors).toEqual([expect.stringMatching(/^sitrep triage: .*not-a-trace\.json: not a trace: /)]);
  });

  it('prints one human sentence per file and exits 0 when every file is a trace', async () => {
    const run = await sitrep(['--ownership', ownFixture('ownership-partial.yaml'), cascadeFile('zipkin'), traceFixture('otlp_hotrod_n_plus_one_positive.json')]);
    expect(run.code).toBe(0);
    const out = run.stdout.trim().split('\n');
    expect(out).toHaveLength(2);
    expect(out[0]).toContain("the failure starts in `user-directory` (no owner known for user-directory; nearest known owner on the path: team-checkout via checkout)");
    expect(out[1]).not.toMatch(/redis-manual/);
  });

  it('fetches a trace by id from a configured backend', async () => {
    const jaeger = await fakeBackend((_req, res) => json(res, 200, serialise(cascade.scenario, 'jaeger')));
    backends.push(jaeger);
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-triage-'));
    const sources = join(dir, 'sources.yaml');
    writeFileSync(sources, `sources:\n  - name: prod\n    kind: jaeger\n    url: ${jaeger.url}\n    uiUrl: https://jaeger.example/trace/{traceId}\n`);
    const run = await sitrep(['--trace-id', cascade.scenario.traceId, '--source', 'prod', '--json', '--catalog', ownFixture('catalog')], {
      TRACE_SOURCES_FILE: sources,
    });
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[0]).toMatchObject({
      source: 'prod',
      origin: { service: 'user-directory' },
      owner: { team: 'team-directory' },
      link: `https://jaeger.example/trace/${cascade.scenario.traceId}`,
    });
    const unknown = await sitrep(['--trace-id', 'abc', '--source', 'staging', '--sources', sources]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`no source named "staging" in ${sources}`);
  });

  it('stops with a clear message when the catalog is broken', async () => {
    const run = await sitrep(['--catalog', ownFixture('broken/bad-indent.yaml'), cascadeFile('jaeger')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/sitrep triage: .*bad-indent\.yaml:\d+: invalid YAML/);
  });
});
