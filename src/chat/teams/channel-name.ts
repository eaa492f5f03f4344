import { incidentLabel, type Incident } from '../../domain/incident.js';

/** Graph refuses longer channel names. */
export const MAX_CHANNEL_NAME = 50;

// Characters Teams does not allow in channel names.
const FORBIDDEN = /[~#%&*{}+/\\:<>?|'".]|\p{Cc}/gu;

/** "INC-42 Checkout returns 500", at most 50 characters; `attempt` > 1 adds " (2)" after a name clash. */
export function teamsChannelName(incident: Pick<Incident, 'number' | 'title'>, attempt = 1): string {
  const suffix = attempt > 1 ? ` (${attempt})` : '';
  const label = incidentLabel(incident);
  const title = incident.title.replace(FORBIDDEN, ' ').replace(/\s+/g, ' ').trim();
  const room = MAX_CHANNEL_NAME - label.length - suffix.length - 1;
  const cut = title.length > room ? fit(title, room) : title;
  return `${label}${cut ? ` ${cut}` : ''}${suffix}`.replace(/^_+/, '');
}

/**
 * An alert incident's title ends with what tells it apart (`HighErrorRate · payments`): when it is too
 * long, the part before ` · ` gives way, not the distinct labels.
 */
function fit(title: string, room: number): string {
  const at = title.indexOf(' · ');
  const tail = at === -1 ? '' : title.slice(at);
  if (!tail || tail.length > room / 2) return atWordEnd(title.slice(0, room + 1));
  return `${title.slice(0, room - tail.length).trimEnd()}${tail}`;
}

/** Cuts at the last whole word; a single long word is cut where it must be. */
function atWordEnd(text: string): string {
  const space = text.lastIndexOf(' ');
  return (space > 0 ? text.slice(0, space) : text.slice(0, -1)).trimEnd();
}
