import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { SessionCookies, SESSION_COOKIE } from '../../src/web/session.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';

const SECRET = 'timeline-pages-secret-0123456789abcdef';
let h: SlackHarness;
let incident: Incident;
const cookie = `${SESSION_COOKIE}=${new SessionCookies(SECRET, 3_600_000).issue({ email: 'maria@example.com', name: 'Maria' }).value}`;
const get = (path: string) => fetch(`${h.sitrep.url}${path}`, { headers: { cookie } });
const items = (html: string) => [...html.matchAll(/<li data-id="[^"]+" data-stream="([^"]+)"/g)].map((m) => m[1]!);
const earlier = (html: string) => /<p id="timeline-earlier"><a href="([^"]+)" data-src="([^"]+)">/.exec(html);

beforeAll(async () => {
  h = await startSlackHarness({ WEB_CONSOLE: 'on', PUBLIC_URL: 'http://127.0.0.1:9', WEB_AUTH: 'oidc', OIDC_ISSUER: 'http://127.0.0.1:9/issuer', OIDC_CLIENT_ID: 'sitrep', OIDC_CLIENT_SECRET: 's', WEB_ALLOWED_EMAIL_DOMAINS: 'example.com', WEB_SESSION_SECRET: SECRET });
  await h.driver.slashCommand({ text: 'Search is slow', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.room?.cardId), 'the incident with its room');
  await h.settle();
  const actor = { platform: 'slack' as const, id: 'U_BOB', name: 'bob' };
  for (let i = 0; i < 650; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => h.store.append(incident.id, [{ type: 'note', actor, key: `n${i + j}`, text: `long night note ${i + j}` }])));
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('a long incident timeline in the console', () => {
  it('the page carries the newest 300 entries and a link to the ones before; following it back reaches the first entry once', async () => {
    const total = (await h.store.timeline(incident.id)).length;
    const page = await (await get(`/incidents/${incident.number}`)).text();
    const shown = items(page);
    expect(shown).toHaveLength(300);
    expect(page).toContain(`long night note 649`);
    expect(page).toContain(`(${total} in all)`);
    const seen = [...shown];
    let link = earlier(page);
    while (link) {
      const fragment = await (await get(link[2]!)).text();
      seen.unshift(...items(fragment));
      link = earlier(fragment);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // Without script, the same link is a page of its own with the earlier entries and no live stream.
    const older = await (await get(earlier(page)![1]!)).text();
    expect(items(older)).toEqual(seen.slice(total - 600, total - 300));
    expect(older).not.toContain('data-live=');
  }, 30_000);
});
