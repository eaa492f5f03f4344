import type { Command } from '../commands.js';
import type { Mention } from '../../domain/mention.js';
import { decodeSlackMentions, type NameLookup } from './markup.js';

// Free text a person typed after a subcommand; mentions that name a person (lead @x) stay typed tokens.
const TEXT_FIELDS = ['title', 'text', 'message', 'summary', 'reason', 'team'] as const;

/**
 * The command with its free text decoded from Slack's escaping and markup into plain words, once:
 * `Payments &amp; checkout` becomes `Payments & checkout`, `<@W222|bob>` becomes `@bob`, and the
 * people, channels and user groups mentioned come back typed, so Slack can show them as mentions again.
 * A user group as a page target stays markup, since it is a target rather than text.
 */
export async function decodeCommand(command: Command, lookup: NameLookup): Promise<{ command: Command; mentions: Mention[] }> {
  const decoded: Record<string, unknown> = { ...command };
  const mentions: Mention[] = [];
  for (const field of TEXT_FIELDS) {
    const value = decoded[field];
    if (typeof value !== 'string') continue;
    const text = await decodeSlackMentions(value, lookup);
    decoded[field] = text.text;
    mentions.push(...text.mentions);
  }
  return { command: decoded as Command, mentions };
}
