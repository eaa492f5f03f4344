import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/teams-package.js';
import { decodeRgbaPng, encodePng, readPngInfo } from '../../../src/chat/teams/package/png.js';

const APP_ID = '8f3b2c1a-1d2e-4f5a-9b8c-7d6e5f4a3b2c';
const BUNDLED = fileURLToPath(new URL('../../../manifests/teams/', import.meta.url));

let dir: string;
let errors: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sitrep-teams-'));
  errors = [];
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation((text: string) => void errors.push(text));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const build = (...extra: string[]) => run(['--app-id', APP_ID, '--public-url', 'https://sitrep.contoso.example/', '--out', join(dir, 'sitrep-teams.zip'), ...extra]);

describe('npx sitrep teams-package', () => {
  it('zips manifest.json with the app id filled in and both icons at the sizes Teams requires', async () => {
    expect(await build()).toBe(0);

    const files = unzipSync(readFileSync(join(dir, 'sitrep-teams.zip')));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      manifestVersion: '1.22',
      id: APP_ID,
      developer: { websiteUrl: 'https://sitrep.contoso.example/about', privacyUrl: 'https://sitrep.contoso.example/privacy', termsOfUseUrl: 'https://sitrep.contoso.example/terms' },
      validDomains: ['sitrep.contoso.example'],
      bots: [{ botId: APP_ID, scopes: ['personal', 'team'] }],
      composeExtensions: [
        {
          botId: APP_ID,
          commands: [
            { id: 'addToTimeline', type: 'action', title: 'Add to incident timeline', context: ['message'] },
            // fetchTask: Teams asks sitrep for the declare form; titles are at most 32 characters.
            { id: 'declareFromMessage', type: 'action', title: 'Declare incident from message', context: ['message'], fetchTask: true },
          ],
        },
      ],
      webApplicationInfo: { id: APP_ID },
    });
    expect(JSON.stringify(manifest)).not.toContain('{{');
    expect(readPngInfo(files['color.png']!)).toMatchObject({ width: 192, height: 192 });
    expect(readPngInfo(files['outline.png']!)).toMatchObject({ width: 32, height: 32 });
    const outline = decodeRgbaPng(files['outline.png']!);
    const alphas = new Set<number>();
    for (let i = 0; i < outline.pixels.length; i += 4) {
      alphas.add(outline.pixels[i + 3]!);
      if (outline.pixels[i + 3]! > 0) expect([outline.pixels[i], outline.pixels[i + 1], outline.pixels[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(alphas.has(0)).toBe(true);
    expect(alphas.has(255)).toBe(true);
  });

  it('a thread-mode package asks for no channel permission; --room-mode channel asks for Channel.Create.Group', async () => {
    const manifestOf = () => JSON.parse(strFromU8(unzipSync(readFileSync(join(dir, 'sitrep-teams.zip')))['manifest.json']!)) as Record<string, unknown>;
    vi.stubEnv('TEAMS_ROOM_MODE', '');
    expect(await build()).toBe(0);
    expect(JSON.stringify(manifestOf())).not.toContain('Channel.Create');
    expect(await build('--room-mode', 'channel')).toBe(0);
    expect(manifestOf()).toMatchObject({ authorization: { permissions: { resourceSpecific: [{ name: 'Channel.Create.Group', type: 'Application' }] } } });
    expect(await build('--room-mode', 'channels')).toBe(2);
    vi.unstubAllEnvs();
  });

  it('a PUBLIC_URL with a port keeps the port out of validDomains, and the description names only the scopes the bot has', async () => {
    expect(await run(['--app-id', APP_ID, '--public-url', 'https://sitrep.contoso.example:8443/', '--out', join(dir, 'sitrep-teams.zip')])).toBe(0);
    const manifest = JSON.parse(strFromU8(unzipSync(readFileSync(join(dir, 'sitrep-teams.zip')))['manifest.json']!)) as {
      validDomains: string[];
      developer: { privacyUrl: string };
      description: { full: string };
      bots: Array<{ scopes: string[] }>;
    };
    expect(manifest.validDomains).toEqual(['sitrep.contoso.example']);
    expect(manifest.developer.privacyUrl).toBe('https://sitrep.contoso.example:8443/privacy');
    expect(manifest.bots[0]!.scopes).not.toContain('groupChat');
    expect(manifest.description.full).not.toMatch(/channel or chat|group chat/);
  });

  it('takes the app id from TEAMS_APP_ID and refuses to run without one', async () => {
    vi.stubEnv('TEAMS_APP_ID', '');
    vi.stubEnv('PUBLIC_URL', 'https://sitrep.contoso.example');
    expect(await run(['--out', join(dir, 'none.zip')])).toBe(2);
    expect(errors.join('\n')).toContain('give the app id (--app-id or TEAMS_APP_ID)');
    expect(existsSync(join(dir, 'none.zip'))).toBe(false);

    vi.stubEnv('TEAMS_APP_ID', APP_ID);
    expect(await run(['--out', join(dir, 'env.zip')])).toBe(0);
    expect(JSON.parse(strFromU8(unzipSync(readFileSync(join(dir, 'env.zip')))['manifest.json']!)).id).toBe(APP_ID);
    vi.unstubAllEnvs();
  });

  it('refuses an app id that is not a GUID, and writes nothing', async () => {
    expect(await run(['--app-id', 'my-bot', '--public-url', 'https://x.example', '--out', join(dir, 'bad.zip')])).toBe(1);
    expect(errors.join('\n')).toContain('"my-bot" is not an app id');
    expect(existsSync(join(dir, 'bad.zip'))).toBe(false);
  });

  it('lists every problem of a manifest Teams would refuse: missing fields, an icon of the wrong size, a coloured outline', async () => {
    const custom = join(dir, 'manifest');
    cpSync(BUNDLED, custom, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(custom, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.description;
    writeFileSync(join(custom, 'manifest.json'), JSON.stringify(manifest));
    expect(await build('--manifest-dir', custom)).toBe(1);
    expect(errors.join('\n')).toContain('manifest.json: description');

    writeFileSync(join(custom, 'manifest.json'), readFileSync(join(BUNDLED, 'manifest.json')));
    writeFileSync(join(custom, 'color.png'), encodePng({ width: 96, height: 96, pixels: new Uint8Array(96 * 96 * 4).fill(200) }));
    writeFileSync(join(custom, 'outline.png'), encodePng({ width: 32, height: 32, pixels: new Uint8Array(32 * 32 * 4).fill(128) }));
    expect(await build('--manifest-dir', custom)).toBe(1);
    expect(errors.at(-1)).toContain('color icon is 96×96; Teams needs 192×192');

    writeFileSync(join(custom, 'color.png'), readFileSync(join(BUNDLED, 'color.png')));
    expect(await build('--manifest-dir', custom)).toBe(1);
    expect(errors.at(-1)).toContain('outline icon must be white on a transparent background');
    expect(existsSync(join(dir, 'sitrep-teams.zip'))).toBe(false);
  });

  it('--write-icons redraws both icons, and the package built from them passes', async () => {
    const custom = join(dir, 'manifest');
    cpSync(BUNDLED, custom, { recursive: true });
    rmSync(join(custom, 'color.png'));
    rmSync(join(custom, 'outline.png'));

    expect(await build('--manifest-dir', custom, '--write-icons')).toBe(0);
    expect(readFileSync(join(custom, 'color.png'))).toEqual(readFileSync(join(BUNDLED, 'color.png')));
    expect(readFileSync(join(custom, 'outline.png'))).toEqual(readFileSync(join(BUNDLED, 'outline.png')));
  });
});
