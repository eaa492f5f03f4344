import type { Actor } from '../domain/actor.js';
import type { Platform } from '../domain/incident.js';
import type { Logger } from '../log.js';

/**
 * Finds a person's chat identity from their e-mail (Slack `users.lookupByEmail`; Teams from the rosters
 * it has read). Implemented by the chat adapters; undefined when the platform does not know the address.
 */
export interface PeopleByEmail {
  readonly platform: Platform;
  byEmail(email: string): Promise<Actor | undefined>;
}

/** Someone signed in to the web console. */
export interface ConsolePerson {
  email: string;
  name?: string;
}

/** Chat may be the thing that is down: a lookup that does not answer in time is not worth waiting for. */
export const LOOKUP_TIMEOUT_MS = 2000;

/**
 * The actor for what a console user does: their Slack or Teams identity when a platform knows their
 * e-mail (so the timeline, the lead role and the room's invitations name the same person as chat does),
 * else the console user by e-mail. `prefer` is asked first (the incident's room platform).
 */
export async function consoleActor(
  people: readonly PeopleByEmail[],
  person: ConsolePerson,
  logger: Logger,
  options: { prefer?: Platform; timeoutMs?: number } = {},
): Promise<Actor> {
  const ordered = [...people].sort((a, b) => Number(b.platform === options.prefer) - Number(a.platform === options.prefer));
  for (const directory of ordered) {
    const found = await withDeadline(directory.byEmail(person.email), options.timeoutMs ?? LOOKUP_TIMEOUT_MS).catch((err: unknown) => {
      logger.warn({ platform: directory.platform, err: { message: (err as Error).message } }, 'could not match a console user to a chat identity; acting as the console user');
      return undefined;
    });
    if (found) return { ...found, name: found.name ?? person.name ?? person.email };
  }
  return { platform: 'web', id: person.email, name: person.name ?? person.email };
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
