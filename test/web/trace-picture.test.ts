import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { SessionCookies, SESSION_COOKIE } from '../../src/web/session.js';
import type { FakeBackend } from '../triage/helpers/fake-backend.js';
import { eventually } from '../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { cascadeJaeger, triageCascade, triageFrom } from './cascade-trace.js';
import { consoleWithOwnSessions } from './own-sessions.js';

// The login cascade (./cascade-trace.ts): the room gets the trace picture under the verdict, the console draws it.

const SECRET = 'trace-picture-session-secret-0123456789';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let jaeger: FakeBackend;
let h: SlackHarness;
let incident: Incident;

beforeAll(async () => {
  jaeger = await cascadeJaeger();
  h = await startSlackHarness({ ...triageFrom(jaeger), ...consoleWithOwnSessions(SECRET, { PUBLIC_URL: 'https://sitrep.example' }) });
  await h.driver.slashCommand({ text: 'Nobody can log in', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  const declared = await eventually(async () => (await h.store.listOpen()).find((i) => i.room?.cardId), 'the incident with its room');
  incident = await triageCascade(h, declared);
  await eventually(() => h.fake.files.find((f) => f.completed), 'the trace picture in the room');
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await jaeger?.close();
});

const cookie = () => `${SESSION_COOKIE}=${new SessionCookies(SECRET, 3_600_000).issue({ email: 'maria@example.com', name: 'Maria' }).value}`;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${h.sitrep.url}${path}`, { redirect: 'manual', headers });

describe('the trace picture in the Slack room', () => {
  it('is uploaded the way Slack takes files: an upload URL, the PNG bytes, then completed into the incident thread', async () => {
    const methods = h.fake.calls.map((c) => c.method).filter((m) => m.startsWith('files.'));
    expect(methods).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    const file = h.fake.files.find((f) => f.completed)!;
    expect(file.name).toBe(`INC-${incident.number}-trace.png`);
    expect(file.mimetype).toBe('image/png');
    expect(file.size).toBe(file.declared_length);
    expect([...file.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(file.bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(file.bytes.readUInt32BE(16)).toBe(1000);
    expect(file.alt_text).toMatch(/^Trace waterfall of INC-\d+: the failure starts in `user-directory`/);
    // In the room's thread under the card, where the verdict was posted.
    expect(file.channels).toEqual([incident.room!.id]);
    expect(file.shares[incident.room!.id]![0]!.thread_ts).toBe(incident.room!.cardId);
    const message = h.fake.messages(incident.room!.id).find((m) => m.files?.some((f) => f.id === file.id));
    expect(message?.text).toContain(`<https://sitrep.example/incidents/${incident.number}/trace|Open in the console>`);
    expect(message?.text).toContain('the failure path from storefront to user-directory');
  });
});

describe('the trace picture in the console', () => {
  it('is linked from the incident page', async () => {
    const res = await get(`/incidents/${incident.number}`, { cookie: cookie() });
    expect(await res.text()).toContain(`<a href="/incidents/${incident.number}/trace" data-link="trace-picture">trace picture</a>`);
  });

  it('shows the waterfall with the evidence in words and the downloads', async () => {
    const res = await get(`/incidents/${incident.number}/trace`, { cookie: cookie() });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`<img id="trace-picture" src="/incidents/${incident.number}/trace.svg"`);
    expect(page).toMatch(/Failure path: <strong>storefront \d+ → checkout \d+ → auth \d+ → user-directory/);
    expect(page).toContain(`href="/incidents/${incident.number}/trace.png" download`);
  });

  it('serves the SVG with lanes per service and the failure path highlighted, and a PNG that decodes', async () => {
    const svg = await get(`/incidents/${incident.number}/trace.svg`, { cookie: cookie() });
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const body = await svg.text();
    for (const service of ['storefront', 'checkout', 'auth', 'user-directory']) expect(body).toContain(`data-service="${service}"`);
    expect(body).toContain('class="link failure-path"');
    expect(body).toContain(`<title id="picture-title">INC-${incident.number} · Nobody can log in</title>`);

    const png = await get(`/incidents/${incident.number}/trace.png`, { cookie: cookie() });
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(bytes.readUInt32BE(16)).toBe(1000);
    expect(bytes.readUInt32BE(20)).toBe(Number(/height="(\d+)"/.exec(body)![1]));
  });

  it('gives a stranger or a forged session 401 for the images and sign-in for the page, never the picture', async () => {
    for (const path of [`/incidents/${incident.number}/trace.svg`, `/incidents/${incident.number}/trace.png`]) {
      for (const headers of [{}, { cookie: `${SESSION_COOKIE}=forged.value` }] as Record<string, string>[]) {
        const res = await get(path, headers);
        expect(res.status, path).toBe(401);
        expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
        expect(await res.text(), path).not.toContain('user-directory');
      }
    }
    const page = await get(`/incidents/${incident.number}/trace`);
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`/auth/signin?next=${encodeURIComponent(`/incidents/${incident.number}/trace`)}`);
  });

  it('still shows in the console when Slack refuses the upload, and the verdict stands', async () => {
    await h.driver.slashCommand({ text: 'Login fails again', userId: 'U_BOB', channelId: 'C_GENERAL' });
    const declared = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Login fails again' && i.room?.cardId), 'the incident');
    await h.settle();
    const filesBefore = h.fake.files.length;
    h.fake.failNext('files.completeUploadExternal', 'not_in_channel');
    const done = await triageCascade(h, declared, 'U_BOB');
    await eventually(() => h.fake.calls.some((c) => c.method === 'files.completeUploadExternal' && !c.ok), 'the refused upload');
    await h.settle();
    expect(h.fake.files.slice(filesBefore).filter((f) => f.completed)).toEqual([]);
    expect(done.suspectedOwner?.team).toBe('team-directory');
    const png = await get(`/incidents/${done.number}/trace.png`, { cookie: cookie() });
    expect(png.status).toBe(200);
  });

  it('says why there is no picture for an incident without a trace', async () => {
    await h.driver.slashCommand({ text: 'Search is slow', userId: 'U_BOB', channelId: 'C_GENERAL' });
    const other = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Search is slow'), 'the second incident');
    const res = await get(`/incidents/${other.number}/trace.png`, { cookie: cookie() });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('has no trace triage');
  });
});
