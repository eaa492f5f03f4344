import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { decodeRgbaPng, readPngInfo } from './png.js';

/** Written wherever the manifest needs the bot's Microsoft App ID; replaced when packaging. */
export const APP_ID_PLACEHOLDER = '{{TEAMS_APP_ID}}';
/** The bot's public base URL (PUBLIC_URL) and its host, for the developer links and validDomains. */
export const PUBLIC_URL_PLACEHOLDER = '{{PUBLIC_URL}}';
export const PUBLIC_HOST_PLACEHOLDER = '{{PUBLIC_HOST}}';

export interface PackageValues {
  appId: string;
  /** https URL the bot is reachable at (its messaging endpoint is <publicUrl>/api/messages). */
  publicUrl: string;
  /**
   * TEAMS_ROOM_MODE: only `channel` needs the team owner's consent to Channel.Create.Group; a thread-mode
   * package does not ask for it.
   */
  roomMode?: 'thread' | 'channel';
}

/** The resource-specific permission channel mode needs to create a channel per incident. */
const CHANNEL_CREATE = 'Channel.Create.Group';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const https = z.url({ protocol: /^https$/, message: 'must be an https:// URL' });

const command = z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) });

/** The fields Teams refuses an upload without, with the limits its validator enforces. */
export const TeamsManifest = z.looseObject({
  $schema: z.url(),
  manifestVersion: z.string().regex(/^(1\.\d+|devPreview)$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be MAJOR.MINOR.PATCH'),
  id: z.string().regex(GUID, 'must be the bot app id (a GUID)'),
  developer: z.looseObject({ name: z.string().min(1).max(32), websiteUrl: https, privacyUrl: https, termsOfUseUrl: https }),
  name: z.looseObject({ short: z.string().min(1).max(30), full: z.string().max(100).optional() }),
  description: z.looseObject({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.string().min(1), outline: z.string().min(1) }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  bots: z
    .array(
      z.looseObject({
        botId: z.string().regex(GUID),
        scopes: z.array(z.enum(['personal', 'team', 'groupChat', 'copilot'])).min(1),
        commandLists: z.array(z.looseObject({ scopes: z.array(z.string()).min(1), commands: z.array(command).min(1).max(10) })).optional(),
      }),
    )
    .min(1),
  composeExtensions: z
    .array(
      z.looseObject({
        botId: z.string().regex(GUID),
        commands: z.array(z.looseObject({ id: z.string().min(1).max(64), type: z.enum(['query', 'action']), title: z.string().min(1).max(32), context: z.array(z.string()).optional() })).min(1).max(10),
      }),
    )
    .max(1)
    .optional(),
});
export type TeamsManifest = z.infer<typeof TeamsManifest>;

export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export function isAppId(value: string): boolean {
  return GUID.test(value);
}

/** The manifest with the app id and public URL filled in, checked; throws PackageError listing every problem. */
export function fillManifest(text: string, values: PackageValues): TeamsManifest {
  let parsed: unknown;
  const url = new URL(values.publicUrl);
  const filled = text
    .replaceAll(APP_ID_PLACEHOLDER, values.appId)
    .replaceAll(PUBLIC_URL_PLACEHOLDER, url.origin)
    // validDomains takes host names only: a port there makes Teams refuse the package.
    .replaceAll(PUBLIC_HOST_PLACEHOLDER, url.hostname);
  try {
    parsed = JSON.parse(filled);
  } catch (err) {
    throw new PackageError([`manifest.json is not valid JSON: ${(err as Error).message}`]);
  }
  if (values.roomMode !== 'channel') parsed = withoutChannelCreate(parsed);
  const result = TeamsManifest.safeParse(parsed);
  const problems = result.success ? [] : result.error.issues.map((i) => `manifest.json: ${i.path.join('.') || '(root)'}: ${i.message}`);
  const leftover = /\{\{[A-Z0-9_]+\}\}/.exec(JSON.stringify(parsed));
  if (leftover) problems.push(`manifest.json: ${leftover[0]} is not filled in; only ${APP_ID_PLACEHOLDER}, ${PUBLIC_URL_PLACEHOLDER} and ${PUBLIC_HOST_PLACEHOLDER} are substituted`);
  if (result.success) {
    const manifest = result.data;
    if (manifest.bots.some((b) => b.botId !== manifest.id)) problems.push('manifest.json: bots[].botId must equal id (the bot app id)');
    if (manifest.composeExtensions?.some((c) => c.botId !== manifest.id)) problems.push('manifest.json: composeExtensions[].botId must equal id (the bot app id)');
  }
  if (problems.length || !result.success) throw new PackageError(problems);
  return result.data;
}

/** The manifest without the Channel.Create.Group request (and without `authorization` once it asks for nothing). */
function withoutChannelCreate(manifest: unknown): unknown {
  const m = manifest as { authorization?: { permissions?: { resourceSpecific?: Array<{ name?: string }> } } };
  const rsc = m.authorization?.permissions?.resourceSpecific;
  if (!rsc) return manifest;
  const kept = rsc.filter((p) => p.name !== CHANNEL_CREATE);
  if (kept.length) return { ...m, authorization: { ...m.authorization, permissions: { ...m.authorization!.permissions, resourceSpecific: kept } } };
  const { authorization: _dropped, ...rest } = m;
  return rest;
}

/** Teams wants a 192×192 colour icon and a 32×32 outline icon that is white on transparent. */
export function checkIcons(color: Uint8Array, outline: Uint8Array): string[] {
  const problems: string[] = [];
  const size = (name: string, bytes: Uint8Array, want: number) => {
    try {
      const info = readPngInfo(bytes);
      if (info.width !== want || info.height !== want) problems.push(`${name} is ${info.width}×${info.height}; Teams needs ${want}×${want}`);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  };
  size('color icon', color, 192);
  size('outline icon', outline, 32);
  if (problems.length) return problems;
  try {
    const { pixels } = decodeRgbaPng(outline);
    let transparent = false;
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
      if (a === 0) transparent = true;
      else if (r !== 255 || g !== 255 || b !== 255) {
        problems.push('outline icon must be white on a transparent background; it has coloured pixels');
        break;
      }
    }
    if (!transparent) problems.push('outline icon must have a transparent background');
  } catch (err) {
    problems.push(`outline icon: ${(err as Error).message}`);
  }
  return problems;
}

/** Reads manifest.json and the two icons from `dir` and zips them flat, as Teams expects an app package. */
export function buildTeamsPackage(dir: string, values: PackageValues): { zip: Uint8Array; manifest: TeamsManifest } {
  const problems: string[] = [];
  if (!isAppId(values.appId)) problems.push(`"${values.appId}" is not an app id: use the bot's Microsoft App ID, a GUID like 8f3b2c1a-1d2e-4f5a-9b8c-7d6e5f4a3b2c`);
  if (!/^https:\/\/[^/\s]+/.test(values.publicUrl)) problems.push(`"${values.publicUrl}" is not the bot's public https URL (PUBLIC_URL), e.g. https://sitrep.example.com`);
  if (problems.length) throw new PackageError(problems);
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name));
    } catch {
      throw new PackageError([`${join(dir, name)} is missing`]);
    }
  };
  const manifest = fillManifest(read('manifest.json').toString('utf8'), values);
  const color = read(manifest.icons.color);
  const outline = read(manifest.icons.outline);
  const iconProblems = checkIcons(color, outline);
  if (iconProblems.length) throw new PackageError(iconProblems);
  const zip = zipSync(
    {
      'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
      [manifest.icons.color]: new Uint8Array(color),
      [manifest.icons.outline]: new Uint8Array(outline),
    },
    { level: 9 },
  );
  return { zip, manifest };
}
