import { z } from 'zod';

/**
 * A person, channel or user group mentioned inside free text (a title, a note, a status update).
 * sitrep stores such text as the plain words a person reads (`ask @bob in #payments`) plus the mentions
 * in it, typed: every export, the console and Teams read the plain words as they are, and Slack turns
 * each mention's words back into a live mention (`<@U123>`). Text stored before mentions were kept
 * simply has none and reads as it always did.
 */
export const Mention = z.object({
  kind: z.enum(['user', 'channel', 'usergroup']),
  /** The platform's id: Slack `U…`/`W…`, `C…`, `S…`. */
  id: z.string().min(1),
  /** How the mention reads in the plain text: `@bob`, `#payments`, `@oncall`. */
  text: z.string().min(2),
});
export type Mention = z.infer<typeof Mention>;

/** Text as stored: plain words, with the mentions in it. */
export interface MentionedText {
  text: string;
  mentions: Mention[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites each mention's words in `text` with `render(mention)`, longest words first so `@bob` never
 * eats into `@bobby`. A mention's words count only as a whole word, never inside `me@bob.io`.
 */
export function replaceMentions(text: string, mentions: readonly Mention[] | undefined, render: (m: Mention, words: string) => string, encode: (s: string) => string = (s) => s): string {
  if (!mentions?.length) return text;
  const byWords = new Map<string, Mention>();
  for (const m of mentions) if (!byWords.has(encode(m.text))) byWords.set(encode(m.text), m);
  const words = [...byWords.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\w@#.-])(?:${words.join('|')})(?![\\w-]|\\.\\w)`, 'g');
  return text.replace(pattern, (found) => render(byWords.get(found)!, found));
}

/** Only the mentions whose words still appear in `text` (a title cut to 200 characters, an edited note). */
export function mentionsIn(text: string, mentions: readonly Mention[] | undefined): Mention[] {
  if (!mentions?.length) return [];
  const seen = new Set<string>();
  const kept: Mention[] = [];
  for (const m of mentions) {
    const key = `${m.kind}:${m.id}:${m.text}`;
    if (seen.has(key)) continue;
    let found = false;
    replaceMentions(text, [m], (_, w) => ((found = true), w));
    if (found) {
      seen.add(key);
      kept.push(m);
    }
  }
  return kept;
}

/** `{ mentions }` for a stored record when `text` has any, else nothing (records without mentions keep their shape). */
export function withMentions(text: string, mentions: readonly Mention[] | undefined): { mentions?: Mention[] } {
  const kept = mentionsIn(text, mentions);
  return kept.length ? { mentions: kept } : {};
}
