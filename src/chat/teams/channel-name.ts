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
  const cut = title.length > room ? atWordEnd(title.slice(0, room + 1)) : title;
  return `${label}${cut ? ` ${cut}` : ''}${suffix}`.replace(/^_+/, '');
}

/** Cuts at the last whole word; a single long word is cut where it must be. */
function atWordEnd(text: string): string {
  const space = text.lastIndexOf(' ');
  return (space > 0 ? text.slice(0, space) : text.slice(0, -1)).trimEnd();
}
