import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentQuery } from '../../src/domain/incident-row.js';
import { SessionCookies, SESSION_COOKIE } from '../../src/web/session.js';
import { consoleWithOwnSessions } from './own-sessions.js';
import { eventually } from '../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

const SECRET = 'console-acting-secret-0123456789abcdef';
const ONCALL = resolve(process.cwd(), 'test/paging/fixtures/oncall-slack.yaml');

let h: SlackHarness;
let throttled: SlackHarness;

function consoleEnv(extra: Record<string, string> = {}): Record<string, string> {
  return consoleWithOwnSessions(SECRET, { ONCALL_FILE: ONCALL, ROOM_RETRY_FIRST_MS: '20', ROOM_RETRY_MAX_MS: '100', ...extra });
}

beforeAll(async () => {
  [h, throttled] = await Promise.all([startSlackHarness(consoleEnv()), startSlackHarness(consoleEnv({ WEB_CHANGES_PER_MINUTE: '3', WEB_SIGNIN_PER_MINUTE: '2' }))]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), throttled?.stop()]);
});

/** A signed-in browser: its session cookie and the page token that goes with it. */
function signedIn(email: string, name: string) {
  const issued = new SessionCookies(SECRET, 3_600_000).issue({ email, name });
  return { cookie: `${SESSION_COOKIE}=${issued.value}`, csrf: issued.session.csrf };
}
const alice = signedIn('alice@example.com', 'Alice (SSO)');
const maria = signedIn('maria@example.com', 'Maria Lopez');

function post(on: SlackHarness, path: string, fields: Record<string, string>, who?: { cookie: string }): Promise<Response> {
  return fetch(`${on.sitrep.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) },
  });
}
const get = (on: SlackHarness, path: string, who?: { cookie: string }) => fetch(`${on.sitrep.url}${path}`, { redirect: 'manual', headers: who ? { cookie: who.cookie } : {} });
const numberOf = (res: Response) => Number(/^\/incidents\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
const allIncidents = async (on: SlackHarness) => (await on.store.list(IncidentQuery.parse({}))).total;
let formKey = 0;
const key = () => `console-form-${++formKey}-${Date.now()}`;

describe('declaring from the console while Slack refuses to open channels', () => {
  it('records the incident as the person’s Slack self, pages the team, and opens the room once Slack is back, saying what happened meanwhile', async () => {
    h.fake.failNext('conversations.create', 'fatal_error', { times: 100_000 });

    const declared = await post(h, '/incidents', { key: key(), _csrf: alice.csrf, title: 'Checkout pages time out', severity: 'SEV2', team: 'team-search', description: 'seen from the status page' }, alice);
    expect(declared.status).toBe(303);
    const number = numberOf(declared);
    const incident = (await h.store.getByNumber(number))!;
    // alice@example.com is U_ALICE in the workspace (users.lookupByEmail): she leads, as in chat.
    expect(incident.declaredBy).toMatchObject({ platform: 'slack', id: 'U_ALICE' });
    expect(incident.roles.lead).toMatchObject({ platform: 'slack', id: 'U_ALICE' });
    expect(incident.source).toEqual({ kind: 'command', detail: 'web console' });
    expect(incident.room).toBeUndefined();
    expect(await h.sitrep.rooms.isWaiting(incident.id)).toBe(true);

    // The on-call is paged although there is no room to link to.
    await eventually(() => h.fake.dms('U_ALICE').find((m) => m.text?.includes(`INC-${number}`)), 'the page to reach Alice', 8000);

    // Work goes on in the console meanwhile.
    expect((await post(h, `/incidents/${number}/note`, { key: key(), _csrf: alice.csrf, text: 'rolled back checkout to v41' }, alice)).status).toBe(303);
    expect((await post(h, `/incidents/${number}/severity`, { key: key(), _csrf: alice.csrf, to: 'SEV1' }, alice)).status).toBe(303);
    const note = (await h.store.timeline(incident.id)).find((e) => e.type === 'note');
    expect(note?.actor).toMatchObject({ platform: 'slack', id: 'U_ALICE' });
    await eventually(() => h.fake.callsTo('conversations.create').filter((c) => c.error).length >= 3, 'a few refused tries');

    h.fake.heal('conversations.create');
    const opened = await eventually(async () => {
      const cur = await h.store.get(incident.id);
      return cur?.room?.cardId ? cur : undefined;
    }, 'the room to open once Slack accepts', 10_000);
    const told = await eventually(() => h.fake.messages(opened.room!.id).find((m) => m.text?.includes('declared from the web console')), 'the note on where it came from');
    expect(told.text).toContain('by <@U_ALICE>');
    expect(told.text).toContain('note: rolled back checkout to v41');
    expect(told.text).toContain('severity SEV2 → SEV1');
    expect(told.text).toContain('paged team-search');
    expect(h.fake.channel(opened.room!.id)?.members).toContain('U_ALICE');
    await eventually(async () => !(await h.sitrep.rooms.isWaiting(incident.id)), 'the room to stop waiting');
    expect((await h.store.get(incident.id))?.pages).toHaveLength(1);
  }, 30_000);

  it('records someone chat does not know as the console user with their e-mail', async () => {
    const declared = await post(h, '/incidents', { key: key(), _csrf: maria.csrf, title: 'Search results empty', severity: 'SEV3' }, maria);
    expect(declared.status).toBe(303);
    const incident = (await h.store.getByNumber(numberOf(declared)))!;
    expect(incident.declaredBy).toEqual({ platform: 'web', id: 'maria@example.com', name: 'Maria Lopez' });
    const opened = await eventually(async () => {
      const cur = await h.store.get(incident.id);
      return cur?.room?.cardId ? cur : undefined;
    }, 'the room to open');
    const told = await eventually(() => h.fake.messages(opened.room!.id).find((m) => m.text?.includes('declared from the web console')), 'the note on where it came from');
    expect(told.text).toContain('by Maria Lopez (maria@example.com)');
    expect(told.text).toContain('Nothing else happened meanwhile.');
  }, 15_000);

  it('declares once when the same form is sent twice', async () => {
    const before = await allIncidents(h);
    const fields = { key: key(), _csrf: alice.csrf, title: 'Login loops back to the form', severity: 'SEV3' };
    const first = await post(h, '/incidents', fields, alice);
    const second = await post(h, '/incidents', fields, alice);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe('/incidents');
    expect(await allIncidents(h)).toBe(before + 1);
  });

  it('resolves from the console, as the person, with a summary', async () => {
    const declared = await post(h, '/incidents', { key: key(), _csrf: alice.csrf, title: 'Image uploads fail', severity: 'SEV3' }, alice);
    const incident = (await h.store.getByNumber(numberOf(declared)))!;
    await eventually(async () => (await h.store.get(incident.id))?.room?.cardId, 'the room to open');
    expect((await post(h, `/incidents/${incident.number}/resolve`, { key: key(), _csrf: alice.csrf, summary: 'bucket policy restored' }, alice)).status).toBe(303);
    const resolved = await h.store.get(incident.id);
    expect(resolved).toMatchObject({ status: 'resolved', resolveSummary: 'bucket policy restored' });
    expect((await h.store.timeline(incident.id)).find((e) => e.type === 'resolved')?.actor).toMatchObject({ platform: 'slack', id: 'U_ALICE' });
  }, 15_000);
});

describe('acting on an incident whose room exists while Slack is down', () => {
  it('records the status change and answers 303, although the room cannot be told', async () => {
    const declared = await post(h, '/incidents', { key: key(), _csrf: alice.csrf, title: 'Search index stale', severity: 'SEV3' }, alice);
    const incident = (await h.store.getByNumber(numberOf(declared)))!;
    await eventually(async () => (await h.store.get(incident.id))?.room?.cardId, 'the room to open');
    for (const method of ['chat.update', 'chat.postMessage', 'conversations.setTopic']) h.fake.failNext(method, 'fatal_error', { times: 1000 });
    try {
      const res = await post(h, `/incidents/${incident.number}/status`, { key: key(), _csrf: alice.csrf, to: 'investigating', message: 'looking at the indexer' }, alice);
      expect(res.status).toBe(303);
      expect((await h.store.get(incident.id))?.status).toBe('investigating');
    } finally {
      for (const method of ['chat.update', 'chat.postMessage', 'conversations.setTopic']) h.fake.heal(method);
    }
  }, 15_000);
});

describe('a declaration that cannot be accepted changes nothing', () => {
  it('shows the form again with what to fix for a missing title, a made-up severity or an unknown team', async () => {
    const before = await allIncidents(h);
    const cases: Array<[Record<string, string>, string]> = [
      [{ title: '   ', severity: 'SEV2' }, 'Give the incident a title'],
      [{ title: 'Payments slow', severity: 'SEV9' }, 'Pick a severity from SEV1'],
      [{ title: 'Payments slow', severity: 'SEV2', team: 'team-nobody' }, 'There is no team &quot;team-nobody&quot;'],
    ];
    for (const [fields, message] of cases) {
      const res = await post(h, '/incidents', { key: key(), _csrf: alice.csrf, ...fields }, alice);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const body = await res.text();
      expect(body).toContain(message);
      // What was typed is kept, so nothing has to be typed again.
      if (fields.title?.trim()) expect(body).toContain('value="Payments slow"');
    }
    expect(await allIncidents(h)).toBe(before);
  });

  it('refuses a declaration without the page token (403) and writes nothing', async () => {
    const before = await allIncidents(h);
    const res = await post(h, '/incidents', { key: key(), title: 'Forged from another site', severity: 'SEV1' }, alice);
    expect(res.status).toBe(403);
    expect(await allIncidents(h)).toBe(before);
  });

  it('answers a stranger 401 on the declaration, and sends them to sign in for the form and the on-call page', async () => {
    const before = await allIncidents(h);
    expect((await post(h, '/incidents', { key: key(), title: 'Anonymous', severity: 'SEV1' })).status).toBe(401);
    expect(await allIncidents(h)).toBe(before);
    for (const path of ['/incidents/new', '/oncall']) {
      const res = await get(h, path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toBe(`/auth/signin?next=${encodeURIComponent(path)}`);
    }
    const api = await get(h, '/api/oncall');
    expect(api.status).toBe(401);
    expect(await api.text()).not.toContain('Alice');
  });
});

describe('on call now', () => {
  it('lists each team with who each level pages now', async () => {
    const res = await get(h, '/oncall', alice);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/<h2 id="team-team-search">team-search<\/h2>/);
    expect(body).toMatch(/data-team="team-search" data-level="1">[\s\S]*?user alice[\s\S]*?Alice Archer/);
    expect(body).toMatch(/data-team="team-search" data-level="2">[\s\S]*?Bob Baker/);
    const api = (await (await get(h, '/api/oncall', alice)).json()) as { teams: Array<{ team: string; levels: Array<{ entries: Array<{ now: string[] }> }> }> };
    expect(api.teams.find((t) => t.team === 'team-identity')?.levels[0]?.entries[0]?.now).toEqual(['Alice Archer']);
  });

  it('offers the on-call teams in the declare form', async () => {
    const body = await (await get(h, '/incidents/new', alice)).text();
    expect(body).toContain('<option>team-search</option>');
    expect(body).toContain('name="_csrf"');
  });
});

describe('rate limits shared through Redis', () => {
  it('answers the fourth state change of a minute with 429 and Retry-After, and does not do it', async () => {
    const person = signedIn('bob@example.com', 'Bob');
    const statuses: number[] = [];
    for (const title of ['one', 'two', 'three', 'four']) {
      statuses.push((await post(throttled, '/incidents', { key: key(), _csrf: person.csrf, title: `Throttled ${title}`, severity: 'SEV4' }, person)).status);
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
    const again = await post(throttled, '/incidents', { key: key(), _csrf: person.csrf, title: 'Throttled five', severity: 'SEV4' }, person);
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const titles = (await throttled.store.listOpen()).map((i) => i.title);
    expect(titles.filter((t) => t.startsWith('Throttled'))).toHaveLength(3);
    // Someone else still has their own budget.
    const other = signedIn('carol@example.com', 'Carol');
    expect((await post(throttled, '/incidents', { key: key(), _csrf: other.csrf, title: 'Not throttled', severity: 'SEV4' }, other)).status).toBe(303);
  }, 15_000);

  it('limits sign-in attempts per address: the third start of a sign-in in a minute gets 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(throttled, '/auth/signin')).status);
    expect(statuses.slice(0, 2)).not.toContain(429);
    expect(statuses[2]).toBe(429);
    const metrics = await (await fetch(throttled.sitrep.metricsUrl)).text();
    expect(metrics).toMatch(/^sitrep_console_rate_limited_total\{budget="signin"\} 1$/m);
    expect(metrics).toMatch(/^sitrep_console_rate_limited_total\{budget="change"\} 2$/m);
  });
});
