import { actorLabel } from '../domain/actor.js';
import type { TimelineEvent } from '../domain/timeline.js';

/** One timeline entry as the console shows it: plain text (escaped where it is put into HTML). */
export interface TimelineEntry {
  id: string;
  at: string;
  kind: TimelineEvent['type'];
  text: string;
  actor: string;
  /** Permalink of a captured message. */
  link?: string;
  files?: { name: string; url?: string }[];
}

export function timelineEntry(e: TimelineEvent): TimelineEntry {
  return {
    id: e.id,
    at: e.at,
    kind: e.type,
    text: describe(e),
    actor: actorLabel(e.actor),
    ...(e.type === 'message_captured' && e.permalink ? { link: e.permalink } : {}),
    ...(e.type === 'message_captured' && e.files.length ? { files: e.files } : {}),
  };
}

function describe(e: TimelineEvent): string {
  switch (e.type) {
    case 'declared':
      return `Declared "${e.title}" as ${e.severity} (${e.source})`;
    case 'status_changed':
      return `Status ${e.from} → ${e.to}${e.message ? `: ${e.message}` : ''}`;
    case 'severity_changed':
      return `Severity ${e.from} → ${e.to}`;
    case 'role_assigned':
      return `${actorLabel(e.assignee)} became ${e.role}${e.previous ? ` (was ${actorLabel(e.previous)})` : ''}`;
    case 'note':
      return `Note: ${e.text}`;
    case 'message_captured':
      return `Message from ${actorLabel(e.author)} (via ${e.via}): "${e.text}"`;
    case 'message_edited':
      return `Captured message edited: "${e.text}" (was "${e.previousText}")`;
    case 'message_deleted':
      return `Captured message deleted (was "${e.previousText}")`;
    case 'alert_fired':
      return `Alert fired: ${e.title} (${e.source}${e.service ? `, ${e.service}` : ''}${e.count > 1 ? `, ×${e.count}` : ''})`;
    case 'alert_resolved':
      return `Alert resolved: ${e.title} (${e.source})`;
    case 'triage_suggested':
      return `Triage of trace ${e.traceId} (${e.outcome}): ${e.summary}`;
    case 'owner_changed':
      return `Owning team ${e.fromTeam ? `${e.fromTeam} → ` : ''}${e.toTeam}${e.reason ? `: ${e.reason}` : ''}`;
    case 'paged':
      return `Paged ${e.target.team ?? 'a person'} (level ${e.level + 1}, via ${e.provider})${e.target.users.length ? `: ${e.target.users.map(actorLabel).join(', ')}` : ''}`;
    case 'page_skipped':
      return `Page to ${e.target.team ?? 'a person'} (level ${e.level + 1}) not sent: ${e.reason}`;
    case 'acknowledged':
      return `Page acknowledged${e.team ? ` for ${e.team}` : ''}`;
    case 'declined':
      return 'Page declined';
    case 'escalated':
      return e.exhausted ? `Escalation exhausted after level ${e.fromLevel + 1}: nobody answered` : `Escalated from level ${e.fromLevel + 1}${e.toLevel !== undefined ? ` to level ${e.toLevel + 1}` : ''} (${e.reason})`;
    case 'action_item_added':
      return `Action item: ${e.text}${e.owner ? ` (owner ${actorLabel(e.owner)})` : ''}`;
    case 'status_update':
      return `Status update: ${e.text}`;
    case 'status_update_reminded':
      return `Reminded ${e.remindedUser ? actorLabel(e.remindedUser) : 'the room'} to post a status update`;
    case 'checklist_ticked':
      return `Checklist: ${e.text} ✓`;
    case 'resolved':
      return `Resolved${e.summary ? `: ${e.summary}` : ''}`;
    case 'closed':
      return 'Closed';
    case 'room_opened':
      return `Room ${e.name ? `${e.name} ` : ''}opened in ${e.platform === 'slack' ? 'Slack' : 'Teams'}${e.tries > 1 ? ` after ${e.tries} tries (chat refused it until then)` : ''}`;
    case 'reopened':
      return `Reopened${e.reason ? `: ${e.reason}` : ''}`;
    case 'postmortem_exported':
      return e.error ? `Postmortem export to ${e.format} failed: ${e.error}` : `Postmortem exported (${e.format})${e.url ? `: ${e.url}` : ''}`;
  }
}
