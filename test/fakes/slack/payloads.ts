import { randomUUID } from 'node:crypto';
import { messageJson } from './json.js';
import { BOT, TEAM, type FakeChannel, type Workspace } from './workspace.js';

/** Shapes of what Slack sends to an app, built from the fake's state so IDs, names and messages agree. */

/** The deprecated verification token Slack still includes in every payload. */
export const VERIFICATION_TOKEN = 'fake-verification-token';

export function userRef(ws: Workspace, userId: string): Record<string, unknown> {
  const name = ws.users.get(userId)?.name ?? userId;
  return { id: userId, username: name, name, team_id: TEAM.id };
}

/** Slack names DMs and private channels generically in slash command payloads. */
export function channelName(channel: FakeChannel | undefined): string {
  if (!channel) return 'unknown';
  if (channel.is_im) return 'directmessage';
  if (channel.is_mpim) return 'mpdm';
  return channel.is_private ? 'privategroup' : channel.name;
}

export function channelRef(ws: Workspace, channelId: string): Record<string, unknown> {
  return { id: channelId, name: channelName(ws.channels.get(channelId)) };
}

export function actionTs(): string {
  const now = Date.now();
  return `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, '0')}`;
}

export function messageFor(ws: Workspace, channelId: string, ts: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const stored = ws.message(channelId, ts);
  return { ...(stored ? messageJson(stored) : { type: 'message', ts, text: '' }), ...overrides };
}

export function eventEnvelope(event: Record<string, unknown>, eventId: string): Record<string, unknown> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    context_team_id: TEAM.id,
    context_enterprise_id: null,
    api_app_id: BOT.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: BOT.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ t: TEAM.id, a: BOT.appId })).toString('base64')}`,
  };
}

export function newEventId(): string {
  return `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;
}
