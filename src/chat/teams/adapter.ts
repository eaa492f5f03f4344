import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ActivityTypes,
  CloudAdapter,
  INVOKE_RESPONSE_KEY,
  type Activity,
  type ActivityHandlerBase,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { silentLogger, type Logger } from '../../log.js';
import { RETRY_AFTER_S } from '../../server/failure.js';
import { isRedisUnavailable } from '../../store/redis.js';
import { createTeamsAuthentication, type TeamsAuthConfig } from './auth.js';

/** Teams activities are a few KiB; anything near this is not Teams. */
export const MAX_ACTIVITY_BYTES = 1024 * 1024;

const SORRY =
  'Sorry, something went wrong on my side while handling that. Please try again in a minute; if it keeps failing, ask whoever runs sitrep to check its logs.';

/**
 * A CloudAdapter whose inbound entry point can be called with an already parsed activity.
 * `CloudAdapter.process` wants Express/restify-style req/res and answers 500 when jsonwebtoken
 * rejects a forged signature; `handleActivity` lets our glue map every token failure to 401.
 */
export class TeamsAdapter extends CloudAdapter {
  /** Validates the channel's token, runs `logic`, and returns the invoke response, if any. */
  handleActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createTeamsAdapter(config: TeamsAuthConfig, logger: Logger): TeamsAdapter {
  const adapter = new TeamsAdapter(createTeamsAuthentication(config));
  adapter.onTurnError = async (context, error) => {
    // Redis down: nothing was stored, so fail the request (503) and let the channel deliver it again.
    if (isRedisUnavailable(error)) throw error;
    const { activity } = context;
    logger.error(
      { err: describeError(error), activityType: activity.type, invoke: activity.name, conversationId: activity.conversation?.id },
      'Teams turn failed',
    );
    try {
      await answerPolitely(context);
    } catch (sendError) {
      logger.error({ err: describeError(sendError), conversationId: activity.conversation?.id }, 'could not tell the Teams user about the failure');
    }
  };
  return adapter;
}

async function answerPolitely(context: TurnContext): Promise<void> {
  const { activity } = context;
  if (activity.type !== ActivityTypes.Invoke) {
    await context.sendActivity(SORRY);
    return;
  }
  if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
  // Universal Actions show a message-typed response as a toast; other invokes get a plain 500.
  const value: InvokeResponse =
    activity.name === 'adaptiveCard/action'
      ? { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: SORRY } }
      : { status: 500 };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
}

/**
 * Only name, message and status: connector errors carry the request, whose headers hold our bearer token.
 */
export function describeError(error: unknown): { name: string; message: string; code?: unknown; statusCode?: unknown } {
  if (!(error instanceof Error)) return { name: 'NonError', message: String(error) };
  const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
  return { name: error.name, message: error.message, code, statusCode };
}

type Bot = Pick<ActivityHandlerBase, 'run'>;

/**
 * The node:http handler for `POST /api/messages`: reads the body (1 MiB cap), rejects what is not an
 * activity, lets botbuilder authenticate the channel's token and run the bot, and answers with the
 * invoke response (or 200). Every token failure is a 401 and the bot never runs.
 */
export function handleTeamsRequest(
  adapter: TeamsAdapter,
  bot: Bot,
  logger: Logger = silentLogger,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (req.method !== 'POST') return reply(res, 405, { error: 'Use POST.' }, { allow: 'POST' });
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(contentType)) return reply(res, 400, { error: 'Expected an application/json activity.' });

    const body = await readLimited(req, MAX_ACTIVITY_BYTES);
    if (body === undefined) {
      return reply(res, 413, { error: `Activity larger than ${MAX_ACTIVITY_BYTES} bytes.` }, { connection: 'close' });
    }
    const activity = parseActivity(body);
    if (!activity) return reply(res, 400, { error: 'Body is not a Bot Framework activity.' });

    try {
      const invokeResponse = await adapter.handleActivity(req.headers.authorization ?? '', activity, (context) => bot.run(context));
      return reply(res, invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (error) {
      if (isTokenRejection(error)) {
        logger.warn({ reason: describeError(error).message, activityType: activity.type }, 'rejected a Teams request with a bad token');
        return reply(res, 401, { error: 'Unauthorized.' });
      }
      if (isVerifierUnreachable(error) || isRedisUnavailable(error)) {
        logger.warn({ reason: describeError(error).message, activityType: activity.type }, 'could not take a Teams request now (token keys or Redis unreachable)');
        return reply(res, 503, { error: 'Unavailable; retry shortly.' }, { 'retry-after': String(RETRY_AFTER_S) });
      }
      logger.error({ err: describeError(error), activityType: activity.type }, 'Teams request failed');
      return reply(res, 500, { error: 'Internal error.' });
    }
  };
}

/** botbuilder throws AuthenticationError for most token problems, but lets jsonwebtoken's own errors through. */
function isTokenRejection(error: unknown): boolean {
  if (error instanceof AuthenticationError) return error.statusCode === 401;
  return error instanceof Error && ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'].includes(error.name);
}

/**
 * Microsoft's OpenID metadata or signing keys could not be fetched: the token can be neither trusted
 * nor refused, so the answer is 503 (a forged token is refused once the keys are back), never a 500.
 */
function isVerifierUnreachable(error: unknown): boolean {
  if (error instanceof AuthenticationError && error.statusCode !== 401) return /Failed to load/i.test(error.message);
  return error instanceof Error && (error.name === 'FetchError' || /fetch failed/i.test(error.message));
}

function parseActivity(body: string): Activity | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const candidate = parsed as Partial<Activity>;
  if (typeof candidate.type !== 'string' || !candidate.type) return undefined;
  return candidate as Activity;
}

/** The body as text, or undefined as soon as it exceeds `limit` bytes (the rest is discarded unread). */
function readLimited(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData).off('end', onEnd);
      req.resume();
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}
