/**
 * Slack channel names: lowercase letters, digits, `-` and `_`, at most 80 characters.
 * Titles in other scripts are transliterated where Unicode decomposition allows (é → e) and
 * otherwise dropped; the number alone always gives a valid, unique-enough name.
 */
export const MAX_CHANNEL_NAME = 80;

export function slugify(title: string): string {
  return title
    // A link's address is no word of the title: `Checkout down (https://status.example.com)` → checkout-down.
    .replace(/\(?\b(?:https?:\/\/|mailto:)[^\s)]+\)?/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `inc-42-checkout-returns-500`; `suffix` (2, 3, …) resolves a `name_taken` clash. */
export function channelName(prefix: string, number: number, title: string, suffix?: number): string {
  const head = `${prefix}-${number}`;
  const tail = suffix ? `-${suffix}` : '';
  const room = MAX_CHANNEL_NAME - head.length - tail.length - 1;
  const slug = fitSlug(title, Math.max(0, room));
  return `${head}${slug ? `-${slug}` : ''}${tail}`;
}

/**
 * The title's slug in `room` characters. An alert incident's title ends with what tells it apart
 * (`HighErrorRate · payments`): when it is too long, the part before ` · ` gives way, not the distinct labels.
 */
function fitSlug(title: string, room: number): string {
  const cut = (slug: string, n: number) => slug.slice(0, Math.max(0, n)).replace(/-+$/, '');
  const whole = slugify(title);
  const at = title.indexOf(' · ');
  if (whole.length <= room || at === -1) return cut(whole, room);
  const head = slugify(title.slice(0, at));
  const tail = cut(slugify(title.slice(at + 3)), Math.floor(room / 2));
  if (!head || !tail) return cut(whole, room);
  return `${cut(head, room - tail.length - 1)}-${tail}`;
}
