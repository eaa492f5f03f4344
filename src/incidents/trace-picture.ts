import type { Incident } from '../domain/incident.js';
import { incidentLabel } from '../domain/incident.js';
import type { TracePicture } from '../domain/trace-picture.js';
import { chatFor, type IncidentDeps } from './deps.js';

/** Keeps, draws and links trace pictures; implemented in `src/triage/render/pictures.ts` over Redis. */
export interface TracePicturePort {
  save(incidentId: string, picture: TracePicture): Promise<void>;
  get(incidentId: string, traceId: string): Promise<TracePicture | undefined>;
  /** The picture as SVG: `auto` follows the viewer's light or dark mode. */
  svg(picture: TracePicture, heading: string, theme?: 'auto' | 'light' | 'dark'): string;
  /** The picture as a PNG for chat (light: chat shows it on any background). */
  png(picture: TracePicture, heading: string): { png: Buffer; width: number; height: number };
  /** The console page of an incident's trace picture, when the console is served. */
  pageUrl(incident: Incident): string | undefined;
}

/** The heading the picture carries wherever it is shown. */
export function pictureHeading(incident: Incident): string {
  return `${incidentLabel(incident)} · ${incident.title}`;
}

/**
 * Keeps the picture of a finished triage before the card links to it. A Redis hiccup here costs the
 * picture, never the verdict or the page that follows it.
 */
export async function keepTracePicture(deps: IncidentDeps, incidentId: string, picture: TracePicture): Promise<void> {
  try {
    await deps.tracePictures?.save(incidentId, picture);
  } catch (err) {
    deps.logger.warn({ err, incident: incidentId }, 'could not keep the trace picture; the console will not show it');
  }
}

/**
 * Posts the picture as an image in the incident's thread, under the verdict: people look at the
 * failure path instead of reading span ids. Runs after paging (drawing the PNG takes a moment), and the
 * verdict is already in the room as text, so a failed upload is logged and the incident goes on.
 */
export async function postTracePicture(deps: IncidentDeps, incident: Incident, picture: TracePicture): Promise<void> {
  const pictures = deps.tracePictures;
  const room = incident.room;
  const chat = room ? deps.chats[room.platform] : undefined;
  if (!pictures || !room || !chat?.postImage) return;
  try {
    const heading = pictureHeading(incident);
    const image = pictures.png(picture, heading);
    const link = pictures.pageUrl(incident);
    const origin = picture.evidence.origin;
    await chatFor(deps, room.platform).postImage!(room, {
      filename: `INC-${incident.number}-trace.png`,
      title: `${heading}: trace picture`,
      altText: `Trace waterfall of ${incidentLabel(incident)}: ${picture.evidence.summary}`.slice(0, 1000),
      png: image.png,
      width: image.width,
      height: image.height,
      text: origin
        ? `Trace picture: the failure path from ${picture.evidence.path[0]?.service ?? 'the entry point'} to ${origin.service}, highlighted.`
        : 'Trace picture of the trace triage read.',
      ...(link ? { link: { label: 'Open in the console', url: link } } : {}),
      ...(room.cardId ? { threadOf: room.cardId } : {}),
    });
  } catch (err) {
    deps.logger.warn({ err, incident: incident.id }, 'could not post the trace picture in the room; the verdict is there as text');
  }
}

/** The picture of the verdict the incident shows, if triage found a trace and the picture was kept. */
export async function currentTracePicture(deps: IncidentDeps, incident: Incident): Promise<TracePicture | undefined> {
  const triage = incident.triage;
  if (!deps.tracePictures || !triage || triage.outcome !== 'ok') return undefined;
  return deps.tracePictures.get(incident.id, triage.traceId);
}
