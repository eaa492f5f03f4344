import type { Actor } from '../../domain/actor.js';

/** A Teams mention entity: the `<at>` text in the message and whom it notifies. */
export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

const MENTION_TOKEN = /<at id="([^"]+)">([^<]*)<\/at>/g;

const escapeName = (name: string) => name.replace(/[<>"&]/g, '');

// Slack shortcodes the use cases write; Teams shows them literally.
const EMOJI: Record<string, string> = {
  warning: '⚠️',
  pager: '📟',
  rotating_light: '🚨',
  white_check_mark: '✅',
  sunny: '☀️',
  no_bell: '🔕',
  mag: '🔎',
  arrow_up: '⬆️',
  arrow_right: '➡️',
  hourglass_flowing_sand: '⏳',
  grey_question: '❔',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  white_circle: '⚪',
  memo: '📝',
  page_facing_up: '📄',
};

/**
 * How the use cases mention a Teams user. The id rides along in the tag so `toTeamsMessage` can turn
 * it into a real mention entity (a plain `<at>Name</at>` without an entity notifies nobody).
 */
export function teamsMention(actor: Actor): string {
  const name = escapeName(actor.name ?? actor.id);
  return actor.platform === 'teams' ? `<at id="${escapeName(actor.id)}">${name}</at>` : name;
}

/**
 * Use-case text is written once for every platform, with Slack-flavoured markup (`*bold*`,
 * `<url|label>`, `/incident …`). Teams reads Markdown with `**bold**`, has no slash command and
 * needs an entity per mention.
 */
export function toTeamsMessage(text: string): { text: string; entities: MentionEntity[] } {
  const entities: MentionEntity[] = [];
  const mentions: string[] = [];
  // Park mentions first so the escaping below leaves their tags alone.
  let out = text.replace(MENTION_TOKEN, (_all, id: string, name: string) => {
    entities.push({ type: 'mention', text: `<at>${name}</at>`, mentioned: { id, name } });
    mentions.push(`<at>${name}</at>`);
    return `\uE000${mentions.length - 1}\uE001`;
  });
  out = out
    .replace(/<(https?:\/\/[^|>\s]+)\|([^>]+)>/g, (_all, url: string, label: string) => `[${label}](${url})`)
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/\/incident\b/g, '@sitrep incident')
    .replace(/:([a-z_]+):/g, (all, code: string) => EMOJI[code] ?? all)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/(^|[\s(>•])\*([^*\n]+?)\*(?=[\s).,:;!?]|$)/gm, '$1**$2**')
    .replace(/\uE000(\d+)\uE001/g, (_all, n: string) => mentions[Number(n)] ?? '');
  return { text: out, entities };
}

/** Text for places Teams shows unformatted (invoke answers, dialogs): mentions become names. */
export function toPlainText(text: string): string {
  return text
    .replace(MENTION_TOKEN, (_all, _id: string, name: string) => name)
    .replace(/\/incident\b/g, '@sitrep incident')
    .replace(/:([a-z_]+):/g, (all, code: string) => EMOJI[code] ?? all);
}

const ATTRIBUTE = (name: string) => new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i');

function attribute(tag: string, name: string): string | undefined {
  const match = ATTRIBUTE(name).exec(tag);
  const value = match?.[2] ?? match?.[3];
  return value === undefined ? undefined : decodeEntities(value);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** An image in a captured message: kept as a file of its timeline entry. */
export interface HtmlImage {
  name: string;
  url: string;
}

/**
 * A captured Teams message (HTML) as the timeline keeps it: text with its links as Markdown links
 * (`[the dashboard](https://grafana…)`), and its inline images as files.
 */
export function htmlToCapture(html: string): { text: string; images: HtmlImage[] } {
  const images: HtmlImage[] = [];
  const withLinks = html
    .replace(/<img\b[^>]*>/gi, (tag) => {
      const url = attribute(tag, 'src');
      if (url && /^https?:/i.test(url)) images.push({ name: attribute(tag, 'alt')?.trim() || `image ${images.length + 1}`, url });
      return '';
    })
    .replace(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi, (all, attrs: string, inner: string) => {
      const href = attribute(attrs, 'href');
      const label = htmlToText(inner);
      if (!href || !/^(https?:|mailto:)/i.test(href)) return inner;
      return label && label !== href ? `[${label.replace(/[[\]]/g, '')}](${href})` : href;
    });
  return { text: htmlToText(withLinks), images };
}

/** Plain text of a Teams message body (HTML): what goes on the timeline. */
export function htmlToText(html: string): string {
  return html
    .replace(/\r\n/g, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
