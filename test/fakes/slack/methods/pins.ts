import { requireString } from '../args.js';
import { messageJson } from '../json.js';
import { SlackApiError, type Workspace } from '../workspace.js';
import type { Handler } from './handler.js';

export function pinMethods(ws: Workspace): Record<string, Handler> {
  return {
    'pins.add': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      if (!channel.members.includes(caller)) throw new SlackApiError('not_in_channel');
      ws.addPin(channel.id, requireString(args, 'timestamp', 'no_item_specified'), caller);
      return {};
    },

    'pins.remove': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      const ts = requireString(args, 'timestamp', 'no_item_specified');
      const index = ws.pins.findIndex((p) => p.channel === channel.id && p.ts === ts);
      if (index === -1) throw new SlackApiError('no_pin');
      ws.pins.splice(index, 1);
      const message = ws.message(channel.id, ts);
      if (message) message.pinned_to = (message.pinned_to ?? []).filter((c) => c !== channel.id);
      return {};
    },

    'pins.list': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      const items = ws
        .pinsOf(channel.id)
        .slice()
        .reverse()
        .map((pin) => {
          const message = ws.requireMessage(channel.id, pin.ts);
          return {
            type: 'message',
            created: pin.created,
            created_by: pin.created_by,
            channel: channel.id,
            message: { ...messageJson(message), permalink: ws.permalink(channel.id, message) },
          };
        });
      return { items };
    },
  };
}
