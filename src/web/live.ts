import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TimelineFeed } from '../incidents/store-port.js';
import type { Logger } from '../log.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { timelineEntry } from './timeline-text.js';

/**
 * Server-sent events of an incident's new timeline entries. Each carries its stream id, so a browser
 * that reconnects (EventSource sends Last-Event-ID) resumes where it stopped, on any replica.
 */
export async function streamTimeline(req: IncomingMessage, res: ServerResponse, feed: TimelineFeed, incidentId: string, after: string, logger: Logger): Promise<void> {
  const abort = new AbortController();
  req.once('close', () => abort.abort());
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  // A comment at once (proxies flush on first bytes) and every 20 s, so idle proxies keep the stream open.
  res.write(': live\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
  try {
    for await (const { cursor, event } of feed.follow(incidentId, after, abort.signal)) {
      res.write(`id: ${cursor}\nevent: timeline\ndata: ${JSON.stringify(timelineEntry(event))}\n\n`);
    }
  } catch (err) {
    if (!abort.signal.aborted) logger.warn({ err, incident: incidentId }, 'live timeline stream failed');
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}
