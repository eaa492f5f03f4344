// The deployment recipes stay true to the code: the Helm values validate against their schema (and
// bad ones don't), every setting the chart, compose file and Dockerfile name is one sitrep reads, and
// the probes, grace period and disruption budget are where Kubernetes looks for them. (`helm template`
// itself needs a helm binary, which neither npm nor Debian ship; .ci/container-recipe.sh runs the
// Dockerfile's steps for real.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VARIABLES } from '../../src/config.js';

const CHART = 'deploy/helm/sitrep';
const read = (path: string) => readFileSync(path, 'utf8');
const values = () => parse(read(join(CHART, 'values.yaml'))) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(read(join(CHART, 'values.schema.json'))) as object);
const templates = () => Object.fromEntries(readdirSync(join(CHART, 'templates')).map((f) => [f, read(join(CHART, 'templates', f))]));

describe('Helm chart', () => {
  it('its default values pass values.schema.json', () => {
    expect(validate(values()), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema refuses what would break a release: no replicas, Sentinel without nodes, a non-Redis URL, an unknown key', () => {
    const bad = [
      { ...values(), replicaCount: 0 },
      { ...values(), redis: { sentinel: { enabled: true, masterName: 'mymaster', nodes: [] } } },
      { ...values(), redis: { url: 'http://redis:6379' } },
      { ...values(), env: { LOG_LEVEL: 3 } },
      { ...values(), replicas: 3 },
    ];
    for (const v of bad) expect(validate(v), JSON.stringify(v)).toBe(false);
  });

  it('every setting it passes to sitrep is one sitrep reads', () => {
    const named = new Set<string>(Object.keys((values().env ?? {}) as object));
    for (const text of Object.values(templates())) {
      for (const m of text.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)) named.add(m[1]!);
    }
    const unknown = [...named].filter((n) => !(n in VARIABLES));
    expect(unknown).toEqual([]);
    expect(named.size).toBeGreaterThan(10);
  });

  it('probes /readyz and /healthz, gives SIGTERM its grace period, keeps a replica through disruptions, runs as non-root', () => {
    const t = templates();
    expect(t['deployment.yaml']).toMatch(/readinessProbe:\s+httpGet:\s+path: \/readyz/);
    expect(t['deployment.yaml']).toMatch(/livenessProbe:\s+httpGet:\s+path: \/healthz/);
    expect(t['deployment.yaml']).toMatch(/terminationGracePeriodSeconds: \{\{ \.Values\.terminationGracePeriodSeconds \}\}/);
    expect(t['deployment.yaml']).toMatch(/runAsNonRoot: true/);
    expect(t['pdb.yaml']).toMatch(/kind: PodDisruptionBudget/);
    expect(t['servicemonitor.yaml']).toMatch(/kind: ServiceMonitor/);
    expect(t['prometheusrule.yaml']).toMatch(/kind: PrometheusRule/);
    // The grace period outlasts sitrep's own shutdown budget.
    const v = values() as { terminationGracePeriodSeconds: number; env: Record<string, string> };
    expect(v.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(v.env.SHUTDOWN_TIMEOUT_MS));
  });

  it('Chart.yaml names the chart and its version', () => {
    expect(parse(read(join(CHART, 'Chart.yaml')))).toMatchObject({ apiVersion: 'v2', name: 'sitrep', version: expect.any(String) });
  });
});

describe('Dockerfile and compose.yaml', () => {
  it('the image installs production dependencies only, runs as non-root and checks /healthz', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20-[\w-]*slim AS build$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });

  it('compose runs Redis with AOF and sitrep against it, with a stop grace above the shutdown budget', () => {
    const compose = parse(read('compose.yaml')) as { services: Record<string, { command?: string[]; environment?: Record<string, string>; stop_grace_period?: string }> };
    expect(compose.services.redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(compose.services.sitrep?.environment?.REDIS_URL).toBe('redis://redis:6379');
    for (const name of Object.keys(compose.services.sitrep?.environment ?? {})) expect(VARIABLES).toHaveProperty(name);
    expect(Number.parseInt(compose.services.sitrep?.stop_grace_period ?? '0', 10) * 1000).toBeGreaterThan(Number(VARIABLES.SHUTDOWN_TIMEOUT_MS.schema.parse(undefined)));
  });
});
