import type { webApi } from '@slack/bolt';
import type { Actor } from '../../domain/actor.js';
import type { Incident, RoomRef } from '../../domain/incident.js';
import type { ChatImage, ChatPort, IncidentView, PageView, UploadedFile } from '../../incidents/chat-port.js';
import type { Logger } from '../../log.js';
import { cardFallback, incidentCard, mention, pageBlocks, resolveOfferBlocks } from './blocks.js';
import { channelName } from './channel-name.js';
import { slackErrorCode, toSitrepError } from './errors.js';
import type { Mention } from '../../domain/mention.js';
import { slackSafe } from './markup.js';
import { ChannelPacer } from './pacer.js';

export interface SlackChatOptions {
  channelPrefix: string;
  announceChannel?: string;
  /** Least time between two of sitrep's messages in one channel. */
  minPostIntervalMs?: number;
  botUserId?: () => string | undefined;
}

const MAX_NAME_ATTEMPTS = 10;

/** The chat port on Slack's Web API. WebClient itself retries `ratelimited` after Retry-After. */
export class SlackChat implements ChatPort {
  readonly platform = 'slack' as const;
  private readonly pacer: ChannelPacer;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly options: SlackChatOptions,
    private readonly logger: Logger,
  ) {
    this.pacer = new ChannelPacer(options.minPostIntervalMs ?? 1000);
  }

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.logger.warn({ slackError: slackErrorCode(err) ?? 'unknown', doing, err: { message: (err as Error).message } }, 'slack api call failed');
      throw toSitrepError(err, doing);
    }
  }

  async createRoom(incident: Incident): Promise<RoomRef> {
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      const name = channelName(this.options.channelPrefix, incident.number, incident.title, attempt > 1 ? attempt : undefined);
      try {
        const res = await this.client.conversations.create({ name, is_private: false });
        const id = res.channel?.id;
        if (!id) throw new Error('conversations.create returned no channel id');
        return { platform: 'slack', id, name };
      } catch (err) {
        if (slackErrorCode(err) === 'name_taken') continue;
        this.logger.warn({ slackError: slackErrorCode(err), name }, 'could not create incident channel');
        throw toSitrepError(err, 'create the incident channel');
      }
    }
    throw toSitrepError({ code: 'slack_webapi_platform_error', data: { error: 'name_taken' } }, `find a free channel name for INC-${incident.number}`);
  }

  async invite(room: RoomRef, users: Actor[]): Promise<void> {
    const bot = this.options.botUserId?.();
    const ids = [...new Set(users.filter((u) => u.platform === 'slack' && u.id !== bot).map((u) => u.id))];
    if (ids.length === 0) return;
    try {
      await this.client.conversations.invite({ channel: room.id, users: ids.join(',') });
    } catch (err) {
      // Already there is fine; anything else is worth telling.
      const code = slackErrorCode(err);
      if (code === 'already_in_channel' || code === 'cant_invite_self') return;
      throw toSitrepError(err, 'invite people to the incident channel');
    }
  }

  async setTopic(room: RoomRef, topic: string): Promise<void> {
    await this.call('set the channel topic', () => this.client.conversations.setTopic({ channel: room.id, topic: topic.slice(0, 250) }));
  }

  async postCard(room: RoomRef, view: IncidentView): Promise<string> {
    const res = await this.call('post the incident card', () =>
      this.client.chat.postMessage({ channel: room.id, text: slackSafe(cardFallback(view.incident), view.incident.mentions), blocks: incidentCard(view) }),
    );
    return res.ts!;
  }

  async updateCard(room: RoomRef, cardId: string, view: IncidentView): Promise<void> {
    await this.pacer.coalesce(`${room.id}:${cardId}`, () =>
      this.call('update the incident card', () =>
        this.client.chat.update({ channel: room.id, ts: cardId, text: slackSafe(cardFallback(view.incident), view.incident.mentions), blocks: incidentCard(view) }),
      ).then(() => undefined),
    );
  }

  async pin(room: RoomRef, messageId: string): Promise<void> {
    try {
      await this.client.pins.add({ channel: room.id, timestamp: messageId });
    } catch (err) {
      if (slackErrorCode(err) === 'already_pinned') return;
      throw toSitrepError(err, 'pin the incident card');
    }
  }

  async post(room: RoomRef, text: string, options: { threadOf?: string; mentions?: readonly Mention[] } = {}): Promise<string> {
    await this.pacer.slot(room.id);
    const res = await this.call('post to the incident channel', () =>
      this.client.chat.postMessage({ channel: room.id, text: slackSafe(text, options.mentions), thread_ts: options.threadOf }),
    );
    return res.ts!;
  }

  async postTo(channelId: string, text: string): Promise<string> {
    const res = await this.call('post an alert to its channel', () => this.client.chat.postMessage({ channel: channelId, text: slackSafe(text) }));
    return res.ts!;
  }

  async offerResolve(room: RoomRef, incident: Incident, text: string): Promise<string> {
    const res = await this.call('offer to resolve the incident', () =>
      this.client.chat.postMessage({ channel: room.id, text: slackSafe(text), blocks: resolveOfferBlocks(incident, text) }),
    );
    return res.ts!;
  }

  async announce(incident: Incident, text: string, mentions?: readonly Mention[]): Promise<void> {
    const channel = this.options.announceChannel;
    if (!channel) return;
    const where = incident.room?.platform === 'slack' ? ` — join <#${incident.room.id}>` : '';
    await this.call('announce the incident', () => this.client.chat.postMessage({ channel, text: slackSafe(`:rotating_light: ${text} (${incident.severity})${where}`, mentions) }));
  }

  async sendPage(user: Actor, page: PageView): Promise<string | undefined> {
    if (user.platform !== 'slack') return undefined;
    const dm = await this.call('open a direct message', () => this.client.conversations.open({ users: user.id }));
    const channel = dm.channel?.id;
    if (!channel) return undefined;
    const res = await this.call('send the page', () =>
      this.client.chat.postMessage({ channel, text: slackSafe(`You are paged for INC-${page.incident.number}: ${page.incident.title}`, page.incident.mentions), blocks: pageBlocks(page) }),
    );
    return `${channel}|${res.ts}`;
  }

  async updatePage(_user: Actor, handle: string, page: PageView): Promise<void> {
    const [channel, ts] = handle.split('|');
    if (!channel || !ts) return;
    await this.call('update the page message', () =>
      this.client.chat.update({ channel, ts, text: `Page for INC-${page.incident.number}`, blocks: pageBlocks(page) }),
    );
  }

  async notify(user: Actor, text: string): Promise<void> {
    if (user.platform !== 'slack') return;
    const dm = await this.call('open a direct message', () => this.client.conversations.open({ users: user.id }));
    if (dm.channel?.id) await this.call('send a direct message', () => this.client.chat.postMessage({ channel: dm.channel!.id!, text: slackSafe(text) }));
  }

  async uploadFile(room: RoomRef, file: { filename: string; title: string; content: string }): Promise<UploadedFile> {
    const res = (await this.call('upload the file', () =>
      this.client.files.uploadV2({ channel_id: room.id, filename: file.filename, title: file.title, content: file.content }),
    )) as { files?: { files?: { id?: string; permalink?: string }[] }[] };
    const uploaded = res.files?.[0]?.files?.[0];
    return { id: uploaded?.id ?? '', url: uploaded?.permalink };
  }

  /**
   * An image through Slack's upload flow (files.getUploadURLExternal, the bytes, then
   * files.completeUploadExternal), shared in the incident's thread with its line of text.
   */
  async postImage(room: RoomRef, image: ChatImage): Promise<UploadedFile> {
    const comment = image.link ? `${slackSafe(image.text)} <${image.link.url}|${slackSafe(image.link.label)}>` : slackSafe(image.text);
    const upload = { channel_id: room.id, file: image.png, filename: image.filename, title: image.title, alt_text: image.altText, initial_comment: comment };
    const res = (await this.call('upload the trace picture', () =>
      this.client.files.uploadV2(image.threadOf ? { ...upload, thread_ts: image.threadOf } : upload),
    )) as { files?: { files?: { id?: string; permalink?: string }[] }[] };
    const uploaded = res.files?.[0]?.files?.[0];
    return { id: uploaded?.id ?? '', url: uploaded?.permalink };
  }

  async permalink(room: RoomRef, messageId: string): Promise<string | undefined> {
    try {
      const res = await this.client.chat.getPermalink({ channel: room.id, message_ts: messageId });
      return res.permalink;
    } catch {
      return undefined; // a missing permalink should never block capturing the message
    }
  }

  mention(user: Actor): string {
    return mention(user);
  }
}
