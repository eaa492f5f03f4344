import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CARD_IMAGE_BYTES, tracePictureCard } from '../../../src/chat/teams/trace-picture-card.js';
import { adaptiveCardProblems } from '../../helpers/adaptive-card-schema.js';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';
import { eventually } from '../../helpers/wait.js';
import { fakeBackend, json, type FakeBackend } from '../../triage/helpers/fake-backend.js';
import { ownFixture } from '../../triage/helpers/paths.js';

const CASCADE_TRACE = '4bf92f3577b34da6a3ce929d0e0e0001';
const cascade = readFileSync(ownFixture('traces/cascade.jaeger.json'), 'utf8');

let jaeger: FakeBackend;
let h: TeamsHarness;
beforeAll(async () => {
  jaeger = await fakeBackend((req, res) => (req.url === `/api/traces/${CASCADE_TRACE}` ? json(res, 200, cascade) : json(res, 404, '{"data":null}')));
  h = await startTeamsHarness({ JAEGER_URL: jaeger.url, TRACE_TIMEOUT_MS: '2000', CATALOG_PATHS: ownFixture('catalog'), WEB_CONSOLE: 'on', PUBLIC_URL: 'https://sitrep.example', WEB_AUTH: 'header', WEB_AUTH_HEADER: 'x-forwarded-email', WEB_TRUSTED_PROXIES: '127.0.0.1', WEB_SESSION_SECRET: 'teams-trace-picture-secret-0123456789' });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await jaeger?.close();
});

type Card = { type: string; body: Array<Record<string, unknown>>; actions?: Array<Record<string, unknown>> };

describe('the trace picture in Teams', () => {
  it('arrives in the incident thread as a card with the PNG inline and the console link', async () => {
    const incident = await h.declare('Nobody can log in');
    await h.run(incident, `trace ${CASCADE_TRACE}`);
    const posted = await eventually(
      () => h.fake.activities(incident.room!.id).find((a) => JSON.stringify(a.attachments ?? []).includes('data:image/png;base64,')),
      'the trace picture card',
    );
    const content = (posted.attachments as Array<{ content: Card }>)[0]!.content;
    expect(adaptiveCardProblems(content as never)).toEqual([]);
    const image = content.body.find((e) => e.type === 'Image')!;
    const png = Buffer.from(String(image.url).replace('data:image/png;base64,', ''), 'base64');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1000);
    expect(image.altText).toMatch(/^Trace waterfall of INC-\d+: the failure starts in `user-directory`/);
    expect(content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in the console', url: `https://sitrep.example/incidents/${incident.number}/trace` }]);
  });

  it('leaves a picture over 1 MB out of the card and keeps the link', () => {
    const card = tracePictureCard({
      filename: 'x.png', title: 'INC-1', altText: 'a huge trace', png: Buffer.alloc(MAX_CARD_IMAGE_BYTES + 1), width: 1000, height: 9000, text: 'Trace picture',
      link: { label: 'Open in the console', url: 'https://sitrep.example/incidents/1/trace' },
    }) as Card;
    expect(JSON.stringify(card)).not.toContain('data:image');
    expect(JSON.stringify(card)).toContain('too large for a Teams card');
    expect(adaptiveCardProblems(card as never)).toEqual([]);
  });
});
