// `sitrep teams-package`: zips manifests/teams into the app package an admin uploads to Teams
// (Apps → Manage your apps → Upload an app), with this installation's bot app id filled in.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../config.js';
import { colorIcon, outlineIcon } from '../chat/teams/package/icons.js';
import { buildTeamsPackage, PackageError } from '../chat/teams/package/manifest.js';
import { encodePng } from '../chat/teams/package/png.js';

const DEFAULT_DIR = fileURLToPath(new URL('../../manifests/teams/', import.meta.url));

const USAGE = `usage: sitrep teams-package [options]

Builds sitrep-teams.zip (manifest.json, color.png, outline.png) to upload in Teams.

options:
  --app-id <guid>       the Azure Bot's Microsoft App ID (default: $TEAMS_APP_ID)
  --public-url <url>    https URL the bot is reachable at (default: $PUBLIC_URL)
  --room-mode <mode>    thread or channel, as TEAMS_ROOM_MODE (default: $TEAMS_ROOM_MODE, else thread);
                        only channel asks the team owner for Channel.Create.Group
  --manifest-dir <dir>  folder with manifest.json and the icons (default: the bundled manifests/teams)
  --out <file>          where to write the package (default: ./sitrep-teams.zip)
  --write-icons         redraw color.png (192×192) and outline.png (32×32) in the manifest folder first
  -h, --help            this help

Exit status: 0 written, 1 the manifest or icons would be refused by Teams, 2 bad arguments.`;

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        'app-id': { type: 'string' },
        'public-url': { type: 'string' },
        'room-mode': { type: 'string' },
        'manifest-dir': { type: 'string' },
        out: { type: 'string' },
        'write-icons': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    console.error(`sitrep teams-package: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  loadDotEnv();
  const appId = args['app-id'] ?? process.env.TEAMS_APP_ID;
  const publicUrl = args['public-url'] ?? process.env.PUBLIC_URL;
  if (!appId || !publicUrl) {
    const missing = [!appId && 'the app id (--app-id or TEAMS_APP_ID)', !publicUrl && 'the public URL (--public-url or PUBLIC_URL)'].filter(Boolean).join(' and ');
    console.error(`sitrep teams-package: give ${missing}.\n\n${USAGE}`);
    return 2;
  }
  const roomMode = args['room-mode'] ?? (process.env.TEAMS_ROOM_MODE || 'thread');
  if (roomMode !== 'thread' && roomMode !== 'channel') {
    console.error(`sitrep teams-package: --room-mode (TEAMS_ROOM_MODE) must be thread or channel, not "${roomMode}".`);
    return 2;
  }
  const dir = resolve(args['manifest-dir'] ?? DEFAULT_DIR);
  if (!existsSync(dir)) {
    console.error(`sitrep teams-package: ${dir} does not exist.`);
    return 2;
  }
  if (args['write-icons']) {
    writeFileSync(resolve(dir, 'color.png'), encodePng(colorIcon()));
    writeFileSync(resolve(dir, 'outline.png'), encodePng(outlineIcon()));
  }
  try {
    const { zip, manifest } = buildTeamsPackage(dir, { appId, publicUrl, roomMode });
    const out = resolve(args.out ?? 'sitrep-teams.zip');
    writeFileSync(out, zip);
    console.log(`Wrote ${out} (${manifest.name.short} ${manifest.version}, manifest ${manifest.manifestVersion}, bot ${manifest.id}).`);
    console.log('Upload it in Teams: Apps → Manage your apps → Upload an app (or the Teams admin center for the whole organisation).');
    return 0;
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    console.error(`sitrep teams-package: Teams would refuse this package:\n  ${err.problems.join('\n  ')}`);
    return 1;
  }
}
