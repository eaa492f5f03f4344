// POST /hooks/pagerduty: PagerDuty v3 webhooks. The signature is checked on the raw bytes before anything is
// read or written; an acknowledgement made in PagerDuty is mirrored onto the incident's timeline.
import { SitrepError } from '../domain/errors.js';
import { readBody } from '../server/body.js';
import { sendJson, type Handler } from '../server/http.js';
import type { OncallConfig } from './config.js';
import { asSitrepError, PagingError } from './errors.js';
import { readPagerDutyWebhook } from './providers/pagerduty-webhook.js';
import type { PagingService } from './service.js';

export function pagerDutyWebhookRoute(options: { secret: string | undefined; config: OncallConfig; service: PagingService }): Handler {
  return async (req, res, log) => {
    const raw = await readBody(req);
    if (!options.secret) {
      throw new SitrepError('unavailable', 'PagerDuty webhooks are not set up: set PAGERDUTY_WEBHOOK_SECRET to the signing secret PagerDuty showed for the subscription.');
    }
    let event;
    try {
      const signature = req.headers['x-pagerduty-signature'];
      event = readPagerDutyWebhook({
        rawBody: raw,
        signature: Array.isArray(signature) ? signature.join(',') : signature,
        secrets: options.secret,
        config: options.config,
      });
    } catch (err) {
      throw err instanceof PagingError ? asSitrepError(err) : err;
    }
    const outcome = await options.service.mirrorPagerDuty(event);
    log.info({ eventType: event.eventType, recorded: outcome.recorded, reason: outcome.reason }, 'PagerDuty webhook');
    sendJson(res, 200, { ok: true, ...outcome });
  };
}
