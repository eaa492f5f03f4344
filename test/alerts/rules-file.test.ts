import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRulesFileError, DEFAULT_ALERT_RULES, loadAlertRules, parseAlertRules } from '../../src/alerts/index.js';

const EXAMPLE = `# sitrep alert rules
defaultSeverity: SEV3
severity:
  - match: ['team="payments"', 'severity=~"(?i)warning"']
    severity: SEV2
routes:
  - match: ['env="staging"']
    action: ignore
  - match: ['severity>=SEV3', 'team="payments"']
    action: post
    channel: '#payments-alerts'
groupBy: [alertname, service]
groupByOrigin: true
autoResolve: true
sources:
  alertmanager:
    bearerToken: \${SITREP_AM_TOKEN}
  datadog:
    hmacSecret: 0123456789abcdef0123456789abcdef
    signatureHeader: X-Datadog-Signature
  generic:
    allowUnauthenticated: true
`;

function failure(yaml: string, env: NodeJS.ProcessEnv = {}): AlertRulesFileError {
  try {
    parseAlertRules(yaml, '/etc/sitrep/alert-rules.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(AlertRulesFileError);
    return err as AlertRulesFileError;
  }
  throw new Error('expected the rules file to be rejected');
}

describe('alert rules file', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sitrep-rules-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a complete file, reading secrets written as ${ENV} from the environment', async () => {
    const path = join(dir, 'alert-rules.yaml');
    await writeFile(path, EXAMPLE);
    const rules = await loadAlertRules(path, { SITREP_AM_TOKEN: 'am-token-from-the-environment' });
    expect(rules).toMatchObject({
      defaultSeverity: 'SEV3',
      groupBy: ['alertname', 'service'],
      groupByOrigin: true,
      autoResolve: true,
      sources: {
        alertmanager: { bearerToken: 'am-token-from-the-environment', signatureHeader: 'x-sitrep-signature', allowUnauthenticated: false },
        datadog: { hmacSecret: '0123456789abcdef0123456789abcdef', signatureHeader: 'x-datadog-signature' },
        generic: { allowUnauthenticated: true },
      },
    });
    expect(rules.routes.map((r) => [r.action, r.channel, r.match.map((m) => m.text)])).toEqual([
      ['ignore', undefined, ['env="staging"']],
      ['post', '#payments-alerts', ['severity>=SEV3', 'team="payments"']],
    ]);
    expect(rules.severity[0]?.severity).toBe('SEV2');
  });

  it('uses the defaults when ALERT_RULES_FILE is unset, or the file is empty', async () => {
    expect(await loadAlertRules(undefined)).toBe(DEFAULT_ALERT_RULES);
    expect(DEFAULT_ALERT_RULES).toEqual({
      severity: [],
      defaultSeverity: 'SEV3',
      routes: [],
      groupBy: ['alertname', 'service'],
      groupByOrigin: false,
      autoResolve: false,
      teamLabel: 'team',
      sources: {},
    });
    const path = join(dir, 'empty.yaml');
    await writeFile(path, '# nothing configured yet\n');
    expect(await loadAlertRules(path)).toEqual(DEFAULT_ALERT_RULES);
  });

  it('names the file and says what to do when it does not exist', async () => {
    const path = join(dir, 'missing.yaml');
    await expect(loadAlertRules(path)).rejects.toThrow(`Alert rules file ${path}: the file does not exist; fix ALERT_RULES_FILE, or unset it`);
  });

  it('reports YAML syntax errors with their line', () => {
    const err = failure('groupBy: [alertname\nroutes:\n  - match: []\n');
    expect(err.line).toBeGreaterThanOrEqual(1);
    expect(err.message).toMatch(/^Alert rules file \/etc\/sitrep\/alert-rules\.yaml \(line \d+\): invalid YAML: /);
  });

  it('reports a duplicated key as a YAML error on its line', () => {
    const err = failure('autoResolve: true\ngroupBy: [service]\nautoResolve: false\n');
    expect(err.line).toBe(3);
    expect(err.reason).toMatch(/invalid YAML: .*unique/i);
  });

  it('points at a misspelt key', () => {
    const err = failure('groupBy: [service]\ngroupby: [alertname]\n');
    expect(err.message).toBe('Alert rules file /etc/sitrep/alert-rules.yaml (line 2): the file has unknown field "groupby" (check the spelling)');
  });

  it('points at the route with an unknown action', () => {
    const err = failure("routes:\n  - match: ['env=\"staging\"']\n    action: ignore\n  - match: []\n    action: page\n");
    expect(err.line).toBe(5);
    expect(err.reason).toBe('routes[1].action must be "incident" or "post" or "ignore" (got "page")');
  });

  it('points at a matcher that does not parse', () => {
    const err = failure("severity:\n  - match:\n      - 'team=\"payments\"'\n      - 'host=~\"web-(\"'\n    severity: SEV1\n");
    expect(err.line).toBe(4);
    expect(err.reason).toMatch(/^severity\[0\]\.match\[1\] is invalid: "host=~\\?"web-\(\\?"": invalid regular expression/);
  });

  it('refuses a channel on a route that does not post', () => {
    const err = failure("routes:\n  - match: []\n    action: incident\n    channel: '#ops'\n");
    expect(err.line).toBe(4);
    expect(err.reason).toBe('routes[0].channel only applies to action: post (this route is action: incident)');
  });

  it('refuses a route comparing severity with a label word, and a severity rule using a threshold', () => {
    expect(failure("routes:\n  - match: ['severity=\"critical\"']\n    action: incident\n").reason).toMatch(
      /^routes\[0\]\.match\[0\] compares sitrep's severity, which is SEV1–SEV4, never "critical"/,
    );
    expect(failure("severity:\n  - match: ['severity<=SEV2']\n    severity: SEV1\n").reason).toMatch(/^severity\[0\]\.match cannot use <, <=, > or >=/);
  });

  it('refuses an unknown source and a secret too short to be one', () => {
    expect(failure('sources:\n  opsgenie:\n    bearerToken: abcdefghijklmnopqrstuvwxyz\n').reason).toBe(
      'sources has unknown source "opsgenie": sitrep has webhooks for alertmanager, grafana, datadog, generic',
    );
    const short = failure('sources:\n  generic:\n    bearerToken: hunter2\n');
    expect(short.line).toBe(3);
    expect(short.reason).toMatch(/^sources\.generic\.bearerToken is too short to be a secret/);
  });

  it('names the environment variable a secret refers to when it is not set', () => {
    const err = failure('sources:\n  grafana:\n    hmacSecret: ${GRAFANA_WEBHOOK_SECRET}\n');
    expect(err.line).toBe(3);
    expect(err.reason).toBe('sources.grafana.hmacSecret refers to ${GRAFANA_WEBHOOK_SECRET}, which is not set in the environment');
  });

  it('refuses a file that is a list instead of a mapping', () => {
    expect(failure('- severity: SEV1\n').reason).toMatch(/must be a YAML mapping/);
  });

  it('refuses a wrong type with what it got', () => {
    expect(failure('groupByOrigin: "yes"\n').reason).toBe('groupByOrigin must be true or false (got "yes")');
  });
});

describe('the documented example rules file', () => {
  it('loads as written, with its secrets from the environment', async () => {
    const env = {
      SITREP_ALERTMANAGER_TOKEN: 'am-0123456789abcdef',
      SITREP_GRAFANA_TOKEN: 'gf-0123456789abcdef',
      SITREP_DATADOG_HMAC: 'dd-0123456789abcdef',
      SITREP_GENERIC_TOKEN: 'gen-0123456789abcdef',
    };
    const rules = await loadAlertRules(join(process.cwd(), 'src/alerts/alert-rules.example.yaml'), env);
    expect(rules).toMatchObject({ postChannel: 'C0123ALERTS', teamLabel: 'team', groupBy: ['alertname', 'service'], sources: { datadog: { hmacSecret: 'dd-0123456789abcdef' } } });
    expect(rules.routes.map((r) => r.action)).toEqual(['ignore', 'post', 'incident']);
  });
});
