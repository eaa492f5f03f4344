// The login cascade: storefront → checkout → auth → user-directory, whose users table is gone. Triage reads
// the trace from a Jaeger on loopback; the room gets the picture under the verdict, the console draws it.
import { readFileSync } from 'node:fs';
import type { Incident } from '../../src/domain/incident.js';
import { fakeBackend, json, type FakeBackend } from '../triage/helpers/fake-backend.js';
import { ownFixture } from '../triage/helpers/paths.js';
import type { SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';

export const CASCADE_TRACE = '4bf92f3577b34da6a3ce929d0e0e0001';
const cascade = readFileSync(ownFixture('traces/cascade.jaeger.json'), 'utf8');

/** A Jaeger that has the cascade trace and answers 404 for any other, as Jaeger does. */
export function cascadeJaeger(): Promise<FakeBackend> {
  return fakeBackend((req, res) => {
    if (req.url === `/api/traces/${CASCADE_TRACE}`) json(res, 200, cascade);
    else json(res, 404, '{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}');
  });
}

/** Settings that point triage at `jaeger`, with the test catalog of owners. */
export function triageFrom(jaeger: FakeBackend): Record<string, string> {
  return { JAEGER_URL: jaeger.url, TRACE_TIMEOUT_MS: '2000', CATALOG_PATHS: ownFixture('catalog') };
}

/** `/incident trace <cascade>` in the incident's room; resolves with the incident once the verdict is on it. */
export async function triageCascade(h: SlackHarness, incident: Incident, userId = 'U_ALICE'): Promise<Incident> {
  await h.driver.slashCommand({ text: `trace ${CASCADE_TRACE}`, userId, channelId: incident.room!.id });
  return eventually(async () => {
    const i = await h.store.get(incident.id);
    return i?.triage?.outcome === 'ok' ? i : undefined;
  }, 'the triage verdict');
}
