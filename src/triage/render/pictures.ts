import type { Incident } from '../../domain/incident.js';
import type { TracePicture } from '../../domain/trace-picture.js';
import type { TracePicturePort } from '../../incidents/trace-picture.js';
import { fewerRows } from '../picture.js';
import { svgToPng } from './png.js';
import { tracePictureSvg } from './waterfall.js';

/** Where pictures are kept (Redis: src/store/trace-pictures.ts). */
export interface PictureShelf {
  save(incidentId: string, picture: TracePicture): Promise<void>;
  get(incidentId: string, traceId: string): Promise<TracePicture | undefined>;
}

/** The trace-picture port: kept on the shelf, drawn here, linked to the console when it is served. */
export function tracePictures(shelf: PictureShelf, consoleUrl: string | undefined): TracePicturePort {
  return {
    save: (incidentId, picture) => shelf.save(incidentId, picture),
    get: (incidentId, traceId) => shelf.get(incidentId, traceId),
    svg: (picture, heading, theme = 'auto') => tracePictureSvg(picture, { title: heading, theme }),
    png: (picture, heading) => svgToPng(tracePictureSvg(fewerRows(picture), { title: heading, theme: 'light' })),
    pageUrl: (incident: Incident) => (consoleUrl ? `${consoleUrl}/incidents/${incident.number}/trace` : undefined),
  };
}
