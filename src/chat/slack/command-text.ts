import type { Command } from '../commands.js';
import { decodeSlackText, type NameLookup } from './markup.js';

// Free text a person typed after a subcommand; mentions that name a person (lead @x) stay typed tokens.
const TEXT_FIELDS = ['title', 'text', 'message', 'summary', 'reason', 'team'] as const;

/**
 * The command with its free text decoded from Slack's escaping and markup into plain words, once:
 * `Payments &amp; checkout` becomes `Payments & checkout`, `<@W222|bob>` becomes `@bob`. A user group
 * as a page target stays markup, since it is a target rather than text.
 */
export async function decodeCommand(command: Command, lookup: NameLookup): Promise<Command> {
  const decoded: Record<string, unknown> = { ...command };
  for (const field of TEXT_FIELDS) {
    const value = decoded[field];
    if (typeof value === 'string') decoded[field] = await decodeSlackText(value, lookup);
  }
  return decoded as Command;
}
