import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { runbooksFor } from '../../src/incidents/runbooks.js';
import { loadCatalog } from '../../src/triage/index.js';
import { fakeJaeger, type FakeBackend } from '../triage/helpers/fake-backend.js';
import { ownFixture } from '../triage/helpers/paths.js';
import { eventually } from '../helpers/wait.js';
import { genericAlert, incidentForAlert, INTAKE_RULES, sendHook } from '../alerts/webhooks.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

const CASCADE_TRACE = '4bf92f3577b34da6a3ce929d0e0e0001';
const cascade = readFileSync(ownFixture('traces/cascade.jaeger.json'), 'utf8');

describe('runbooks for the card', () => {
  it('lists the origin first, then the affected services, and leaves out the alert’s runbook_url already linked', async () => {
    const catalog = await loadCatalog({ catalog: [ownFixture('runbooks/artist-web.yaml')], ownership: [ownFixture('runbooks/ownership.yaml')] });
    const runbooks = runbooksFor(catalog, {
      affectedServices: ['payments-api', 'artist-web'],
      triage: { traceId: 't', outcome: 'ok', summary: '', alternatives: [], origin: 'artist-web' },
      links: [{ label: 'Runbook', url: 'https://runbooks.example-org.com/artist-web' }],
    });
    expect(runbooks.map((r) => [r.service, r.url])).toEqual([
      ['artist-web', 'https://wiki.example-org.com/ops/artist-web'],
      ['artist-web', 'https://wiki.example-org.com/ops/artist-web/cdn-failover'],
      // payments-* also lists the artist-web guide: shown once, under the first service.
      ['payments-api', 'https://runbooks.example-org.com/payments'],
    ]);
  });
});

describe('runbooks on the Slack card', () => {
  let jaeger: FakeBackend;
  let h: SlackHarness;
  beforeAll(async () => {
    jaeger = await fakeJaeger(CASCADE_TRACE, cascade);
    h = await startSlackHarness({
      JAEGER_URL: jaeger.url,
      TRACE_TIMEOUT_MS: '500',
      CATALOG_PATHS: ownFixture('catalog'),
      OWNERSHIP_FILE: ownFixture('runbooks/ownership-runbooks-only.yaml'),
      ALERT_RULES_FILE: INTAKE_RULES,
    });
  });
  afterAll(async () => {
    await h?.stop();
    await jaeger?.close();
  });

  const card = (i: Incident) => JSON.stringify(h.fake.messages(i.room!.id).find((m) => m.ts === i.room?.cardId)?.blocks ?? []);

  it('once triage names the origin, the card links its runbook', async () => {
    await h.driver.slashCommand({ text: '', userId: 'U_ALICE', channelId: 'C_GENERAL' });
    await h.driver.viewSubmission({
      userId: 'U_ALICE',
      view: {
        callback_id: 'sitrep_declare',
        state: { values: { title: { value: { type: 'plain_text_input', value: 'Checkout 500s' } }, trace: { value: { type: 'plain_text_input', value: CASCADE_TRACE } } } },
      },
    });
    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Checkout 500s' && i.runbooks?.length), 'runbooks on the incident');
    expect(incident.triage?.origin).toBe('user-directory');
    expect(incident.runbooks).toEqual([{ service: 'user-directory', label: 'Runbook', url: 'https://runbooks.example.com/user-directory' }]);
    const text = await eventually(() => (card(incident).includes('Runbooks:') ? card(incident) : undefined), 'card with the runbook');
    expect(text).toContain('*Runbooks:* <https://runbooks.example.com/user-directory|user-directory: Runbook>');
  });

  it('an alert whose runbook_url is also the catalog runbook links it once', async () => {
    const alert = genericAlert('Directory and auth 5xx', { service: 'user-directory' }, { runbookUrl: 'https://runbooks.example.com/user-directory' });
    const res = await sendHook(h.sitrep.url, 'generic', alert);
    expect(res.status).toBe(202);
    const incident = await incidentForAlert(h, String(res.json.alerts?.[0]?.fingerprint));
    expect(incident.links).toContainEqual({ label: 'Runbook', url: 'https://runbooks.example.com/user-directory' });
    expect(incident.runbooks ?? []).toEqual([]);
    expect(card(incident).split('https://runbooks.example.com/user-directory')).toHaveLength(2);
  });

  it('an alert naming a service without runbook_url gets the catalog runbook on its first card', async () => {
    const res = await sendHook(h.sitrep.url, 'generic', genericAlert('Auth 5xx', { service: 'auth-service' }));
    const incident = await incidentForAlert(h, String(res.json.alerts?.[0]?.fingerprint));
    expect(incident.runbooks).toEqual([{ service: 'auth-service', label: 'Runbook', url: 'https://runbooks.example.com/auth' }]);
    expect(card(incident)).toContain('<https://runbooks.example.com/auth|auth-service: Runbook>');
  });
});
