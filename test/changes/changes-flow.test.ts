import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { fakeJaeger, type FakeBackend } from '../triage/helpers/fake-backend.js';
import { ownFixture } from '../triage/helpers/paths.js';
import { eventually } from '../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

const CASCADE_TRACE = '4bf92f3577b34da6a3ce929d0e0e0001';
const cascade = readFileSync(ownFixture('traces/cascade.jaeger.json'), 'utf8');
const githubPayload = readFileSync(new URL('../fixtures/changes/github-deployment_status_payload.json', import.meta.url), 'utf8');
const GITHUB_SECRET = 'github-webhook-secret-for-tests';
const CHANGES_TOKEN = 'changes-token-for-the-tests-0123';

let jaeger: FakeBackend;
let h: SlackHarness;
beforeAll(async () => {
  jaeger = await fakeJaeger(CASCADE_TRACE, cascade);
  h = await startSlackHarness({
    JAEGER_URL: jaeger.url,
    TRACE_TIMEOUT_MS: '500',
    CATALOG_PATHS: ownFixture('catalog'),
    CHANGES_TOKEN,
    GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
  });
});
afterAll(async () => {
  await h?.stop();
  await jaeger?.close();
});

const minutesAgo = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

/** GitHub's example deployment_status, as if user-directory had been deployed `min` minutes ago. */
function githubDeployment(min: number, service = 'user-directory'): string {
  const body = JSON.parse(githubPayload) as {
    deployment: { payload: Record<string, unknown>; created_at: string };
    deployment_status: { created_at: string; updated_at: string };
  };
  body.deployment.payload = { service };
  body.deployment.created_at = minutesAgo(min + 1);
  body.deployment_status.created_at = body.deployment_status.updated_at = minutesAgo(min);
  return JSON.stringify(body);
}

async function postGithub(body: string, options: { signature?: string; event?: string } = {}) {
  const signature = options.signature ?? `sha256=${createHmac('sha256', GITHUB_SECRET).update(body).digest('hex')}`;
  const res = await fetch(`${h.sitrep.url}/hooks/changes/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': options.event ?? 'deployment_status', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': signature },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function postChange(body: unknown, token = CHANGES_TOKEN) {
  const res = await fetch(`${h.sitrep.url}/hooks/changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function declareWithTrace(title: string, traceId: string): Promise<Incident> {
  await h.driver.slashCommand({ text: '', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  await h.driver.viewSubmission({
    userId: 'U_ALICE',
    view: {
      callback_id: 'sitrep_declare',
      state: { values: { title: { value: { type: 'plain_text_input', value: title } }, trace: { value: { type: 'plain_text_input', value: traceId } } } },
    },
  });
  return eventually(async () => (await h.store.listOpen()).find((i) => i.title === title && i.room?.cardId), `incident "${title}"`);
}

const card = (i: Incident) => JSON.stringify(h.fake.messages(i.room!.id).find((m) => m.ts === i.room?.cardId)?.blocks ?? []);
const stored = (service: string) => h.sitrep.deps.changes!.between(service, new Date(Date.now() - 86_400_000), new Date());

describe('changes before an incident', () => {
  it('a GitHub deployment and a generic canary on the failure path are named on the triage card, closest first', async () => {
    expect((await postGithub(githubDeployment(12))).status).toBe(202);
    // A canary of auth (on the failure path): 10 % 40 min ago, 100 % 25 min ago.
    const canary = { id: 'auth-rollout-77', service: 'auth', kind: 'deploy', version: 'v5.1.0', environment: 'production', by: 'maria', url: 'https://ci.example/auth/77' };
    expect((await postChange({ ...canary, startedAt: minutesAgo(40), rollout: 10 })).status).toBe(202);
    expect((await postChange({ ...canary, kind: 'phase', startedAt: minutesAgo(25), rollout: 100 })).status).toBe(202);
    // Two hours ago: outside the window.
    expect((await postChange({ service: 'checkout', kind: 'config', version: 'timeouts-v2', startedAt: minutesAgo(120) })).status).toBe(202);

    const incident = await declareWithTrace('Checkout 500s after deploys', CASCADE_TRACE);
    const withChanges = await eventually(async () => {
      const i = await h.store.get(incident.id);
      return i?.changes?.length ? i : undefined;
    }, 'changes on the incident');
    expect(withChanges.changes?.map((c) => c.service)).toEqual(['user-directory', 'auth']);
    expect(withChanges.changes?.[1]?.phases.map((p) => p.rollout)).toEqual([10, 100]);

    const text = await eventually(() => (card(withChanges).includes('Changes in the hour before') ? card(withChanges) : undefined), 'card with the changes');
    expect(text).toMatch(/user-directory: deploy master \(f95f852\) to production by Codertocat, 1[12] min before the incident/);
    expect(text).toMatch(/auth: deploy v5.1.0 to production by maria, 2[45] min before the incident, 10% at \d\d:\d\d → 100% at \d\d:\d\d — <https:\/\/ci.example\/auth\/77\|link>/);
    expect(text.indexOf('user-directory: deploy')).toBeLessThan(text.indexOf('auth: deploy'));
    expect(text).not.toContain('timeouts-v2');

    await h.driver.slashCommand({ text: 'changes', userId: 'U_BOB', channelId: incident.room!.id });
    const reply = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_BOB' && e.text.startsWith('Changes to')), '/incident changes reply');
    expect(reply.text).toContain('user-directory: deploy master');
    expect(reply.text).toContain('auth: deploy v5.1.0');
  });

  it('/incident changes <service> --since 3h lists one service anywhere, older changes included', async () => {
    await h.driver.slashCommand({ text: 'changes checkout --since 3h', userId: 'U_CAROL', channelId: 'C_GENERAL' });
    const reply = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_CAROL' && e.text.includes('checkout')), 'reply');
    expect(reply.text).toMatch(/checkout: config timeouts-v2, at \d\d:\d\d/);

    await h.driver.slashCommand({ text: 'changes checkout --since soon', userId: 'U_CAROL', channelId: 'C_GENERAL' });
    await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_CAROL' && e.text.includes('"soon" is not a duration')), 'usage');
  });

  it('a forged GitHub signature gets 401 and stores nothing', async () => {
    const body = githubDeployment(5, 'forged-service');
    const forged = `sha256=${createHmac('sha256', 'not-the-secret-at-all-000').update(body).digest('hex')}`;
    const res = await postGithub(body, { signature: forged });
    expect(res.status).toBe(401);
    expect(String(res.body.error)).toContain('x-hub-signature-256 signature does not match');
    expect(await stored('forged-service')).toEqual([]);
    expect((await postGithub(body, { signature: '' })).status).toBe(401);
    expect(await stored('forged-service')).toEqual([]);
  });

  it('a redelivered GitHub webhook is stored once; a ping is answered and ignored', async () => {
    const body = githubDeployment(3, 'redelivered');
    expect((await postGithub(body)).body).toMatchObject({ accepted: 1, stored: 1 });
    expect((await postGithub(body)).body).toMatchObject({ accepted: 1, stored: 0 });
    expect(await stored('redelivered')).toHaveLength(1);
    const ping = await postGithub('{"zen":"Design for failure.","hook_id":1}', { event: 'ping' });
    expect(ping.status).toBe(202);
    expect(ping.body.ignored).toContain('deployment_status');
  });

  it('generic change events need the bearer token and a valid body, and change nothing otherwise', async () => {
    expect((await postChange({ service: 'no-token', kind: 'deploy' }, 'wrong-token-wrong-token-wrong')).status).toBe(401);
    const bad = await postChange({ service: 'bad-kind', kind: 'redeploy', rollout: 150 });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toMatch(/kind must be one of "deploy", "config", "flag", "rollback", "phase"|kind/);
    expect(String(bad.body.error)).toContain('rollout');
    expect(await stored('no-token')).toEqual([]);
    expect(await stored('bad-kind')).toEqual([]);
  });

  it('the Argo CD template body is accepted, an automated sync (empty "by") included', async () => {
    const argo = { id: 'argocd:cart:4f1c2e9', service: 'cart', kind: 'deploy', version: '4f1c2e9', environment: 'shop', startedAt: minutesAgo(2), by: '', url: 'https://argocd.example/applications/cart' };
    expect(await postChange(argo)).toMatchObject({ status: 202, body: { accepted: 1, stored: 1 } });
    const [event] = await stored('cart');
    expect(event).toMatchObject({ changeId: 'generic:argocd:cart:4f1c2e9', version: '4f1c2e9' });
    expect(event?.by).toBeUndefined();
  });
});
