import { replaceMentions, type Mention, type MentionedText } from '../../domain/mention.js';

/**
 * Slack's text format, both ways. Slack sends `&amp; &lt; &gt;` escaped, and people, channels, user
 * groups, broadcasts and links as `<@U123|bob>`, `<#C123|payments>`, `<!subteam^S123|@oncall>`,
 * `<!here>`, `<https://x|label>`. sitrep decodes that once where it enters (slash commands, captured
 * messages) into plain words plus the typed mentions in them, and escapes once where text leaves for
 * Slack, where the mentions become live again: the use cases and exports only ever see plain words.
 */
export type SlackSegment =
  | { kind: 'text'; text: string }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  | { kind: 'usergroup'; id: string; label?: string }
  | { kind: 'broadcast'; name: string }
  | { kind: 'link'; url: string; label?: string };

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** `&amp; &lt; &gt;` back to `& < >`; the only three entities Slack uses. */
export function unescapeSlack(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (e) => ENTITIES[e]!);
}

/** `& < >` as Slack wants them in any text it would otherwise read as markup. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function markupSegment(inner: string): SlackSegment {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? unescapeSlack(inner.slice(bar + 1)) || undefined : undefined;
  if (target.startsWith('@')) return { kind: 'user', id: target.slice(1), label: label?.replace(/^@/, '') };
  if (target.startsWith('#')) return { kind: 'channel', id: target.slice(1), label: label?.replace(/^#/, '') };
  if (target.startsWith('!subteam^')) return { kind: 'usergroup', id: target.slice('!subteam^'.length), label: label?.replace(/^@/, '') };
  if (target.startsWith('!date^')) return { kind: 'text', text: label ?? '' };
  if (target.startsWith('!')) return { kind: 'broadcast', name: target.slice(1) };
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return { kind: 'link', url: unescapeSlack(target), label };
  // Slack escapes every < a person types, so this is no markup Slack made: keep it as written.
  return { kind: 'text', text: `<${unescapeSlack(inner)}>` };
}

/** Splits Slack text into plain text and typed mentions/links, with entities decoded. */
export function parseSlackText(raw: string): SlackSegment[] {
  const segments: SlackSegment[] = [];
  let at = 0;
  for (const m of raw.matchAll(/<([^<>]+)>/g)) {
    if (m.index > at) segments.push({ kind: 'text', text: unescapeSlack(raw.slice(at, m.index)) });
    segments.push(markupSegment(m[1]!));
    at = m.index + m[0].length;
  }
  if (at < raw.length) segments.push({ kind: 'text', text: unescapeSlack(raw.slice(at)) });
  return segments;
}

/** Names of people Slack sent without one (`<@U123>`); returns undefined when it cannot tell. */
export type NameLookup = (userId: string) => Promise<string | undefined>;

function linkText(url: string, label: string | undefined): string {
  const shown = url.replace(/^mailto:/, '');
  // Slack links what people type (`example.com` → `<http://example.com|example.com>`): keep what they typed.
  if (!label || label === url || label === shown || url.endsWith(`//${label}`)) return label ?? shown;
  return `${label} (${shown})`;
}

/** Plain text of one segment: people as `@name`, channels as `#name`, links as their label and address. */
function plainOf(segment: SlackSegment, names: Map<string, string>): string {
  switch (segment.kind) {
    case 'text':
      return segment.text;
    case 'user':
      return `@${segment.label ?? names.get(segment.id) ?? segment.id}`;
    case 'channel':
      return `#${segment.label ?? segment.id}`;
    case 'usergroup':
      return `@${segment.label ?? segment.id}`;
    case 'broadcast':
      return `@${segment.name}`;
    case 'link':
      return linkText(segment.url, segment.label);
  }
}

/** Slack text as the plain words a person reads; people Slack sent without a name are looked up. */
export async function decodeSlackText(raw: string, lookup?: NameLookup): Promise<string> {
  return (await decodeSlackMentions(raw, lookup)).text;
}

/** The mention a segment is, with the words it reads as; broadcasts are never kept live. */
function mentionOf(segment: SlackSegment, words: string): Mention | undefined {
  if (segment.kind !== 'user' && segment.kind !== 'channel' && segment.kind !== 'usergroup') return undefined;
  return /^[A-Z0-9_]+$/i.test(segment.id) ? { kind: segment.kind, id: segment.id, text: words } : undefined;
}

/** Slack text as plain words plus the people, channels and user groups mentioned in it. */
export async function decodeSlackMentions(raw: string, lookup?: NameLookup): Promise<MentionedText> {
  const segments = parseSlackText(raw);
  const names = new Map<string, string>();
  if (lookup) {
    const unnamed = [...new Set(segments.flatMap((s) => (s.kind === 'user' && !s.label ? [s.id] : [])))];
    await Promise.all(
      unnamed.map(async (id) => {
        const name = await lookup(id).catch(() => undefined);
        if (name) names.set(id, name);
      }),
    );
  }
  const words = segments.map((s) => plainOf(s, names));
  const mentions = segments.flatMap((s, i) => mentionOf(s, words[i]!) ?? []);
  return { text: words.join(''), mentions: mentions.filter((m, i) => mentions.findIndex((o) => o.text === m.text) === i) };
}

const LIVE: Record<Mention['kind'], (id: string) => string> = {
  user: (id) => `<@${id}>`,
  channel: (id) => `<#${id}>`,
  usergroup: (id) => `<!subteam^${id}>`,
};

// The markup sitrep itself writes into its messages: mentions, channel links, web links.
const OWN_MARKUP = /<(?:@[UW][A-Z0-9_]+|#[CG][A-Z0-9_]+|(?:https?:\/\/|mailto:)[^\s<>|]+)(?:\|[^<>]*)?>/g;

/**
 * Text for Slack's `mrkdwn`/message `text`, escaped exactly once: sitrep's own mentions and links stay
 * markup, everything else (titles, notes, alert text a person or system wrote) is shown as written, so a
 * title such as `<!channel> a < b & c` can never notify anyone or break the message. A `> ` at the start
 * of a line stays a quote.
 */
export function slackSafe(text: string, mentions?: readonly Mention[]): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(OWN_MARKUP)) {
    out += escapeOutside(text.slice(at, m.index), at === 0 || text[at - 1] === '\n', mentions) + m[0];
    at = m.index + m[0].length;
  }
  return out + escapeOutside(text.slice(at), at === 0 || text[at - 1] === '\n', mentions);
}

/**
 * Escapes what people wrote; the words of a mention stored with the text become the live mention again
 * (only those: a title that spells out `<!subteam^S1>` stays words).
 */
function escapeOutside(text: string, atLineStart: boolean, mentions: readonly Mention[] | undefined): string {
  const live = replaceMentions(escapeSlack(text), mentions, (m) => LIVE[m.kind](m.id), escapeSlack);
  return live.replace(/(^|\n)&gt; /g, (all, start: string) => (start === '' && !atLineStart ? all : `${start}> `));
}
