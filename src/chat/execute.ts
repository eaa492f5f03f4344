import type { Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel, type Incident, type Platform } from '../domain/incident.js';
import type { Mention } from '../domain/mention.js';
import { declareIncident, repairRoom } from '../incidents/declare.js';
import type { IncidentDeps, InsightsDigest } from '../incidents/deps.js';
import { assignRole, changeSeverity, changeStatus, closeIncident, reopenIncident, resolveIncident } from '../incidents/lifecycle.js';
import { addActionItem, addNote } from '../incidents/record.js';
import { handOff, triageOnDemand } from '../incidents/triage.js';
import { listChanges } from '../incidents/changes.js';
import { postStatusUpdate } from '../incidents/status-updates.js';
import { changeLine } from '../changes/format.js';
import { HELP_TEXT, ROOM_COMMANDS, type Command, type UserToken } from './commands.js';

export interface CommandContext {
  platform: Platform;
  actor: Actor;
  /** The room (channel/conversation) the command was typed in. */
  roomId: string;
  /** Idempotency key of this invocation (trigger id, activity id). */
  key: string;
  resolveUser(token: UserToken): Promise<Actor>;
  /** People, channels and user groups mentioned in the command's free text, as the platform sent them. */
  mentions?: Mention[];
}

export interface Reply {
  text: string;
  /** Ephemeral replies are seen only by the person who typed the command. */
  ephemeral: boolean;
  /** `/incident report`: drawn as a card by each adapter, `text` being its fallback. */
  insights?: InsightsDigest;
}

const ephemeral = (text: string): Reply => ({ text, ephemeral: true });

/**
 * Runs a parsed command against the use cases. Platform adapters call this for `/incident …` in
 * Slack and `@sitrep incident …` in Teams, so both speak exactly the same language.
 */
export async function executeCommand(deps: IncidentDeps, command: Command, ctx: CommandContext): Promise<Reply | undefined> {
  if (command.kind === 'help') return ephemeral(command.reason ? `${command.reason}\n\n${HELP_TEXT}` : HELP_TEXT);
  if (command.kind === 'list') return ephemeral(await listOpen(deps));
  if (command.kind === 'report') {
    if (!deps.insights) throw new SitrepError('unavailable', 'Insights are not available in this installation.');
    const digest = await deps.insights.summary(command.team);
    return { text: digest.text, ephemeral: true, insights: digest };
  }
  if (command.kind === 'declare') {
    const incident = await declareIncident(deps, {
      title: command.title,
      mentions: ctx.mentions,
      actor: ctx.actor,
      platform: ctx.platform,
      source: { kind: 'command', detail: ctx.platform },
      key: `declare:${ctx.key}`,
    });
    return ephemeral(`${incidentLabel(incident)} declared: ${roomLink(incident)}`);
  }
  if (command.kind === 'modal') return undefined;
  if (command.kind === 'repair') {
    const incident = await repairRoom(deps, command.number, ctx.platform);
    return ephemeral(`${incidentLabel(incident)} room is complete: ${roomLink(incident)}`);
  }

  const incident = await deps.store.findByRoom(ctx.platform, ctx.roomId);
  if (command.kind === 'changes') return ephemeral(await changesReply(deps, command, incident, ctx.platform));
  if (!incident) {
    if (ROOM_COMMANDS.has(command.kind)) return ephemeral(`That command works inside an incident channel.\n\n${HELP_TEXT}`);
    return undefined;
  }
  return runInRoom(deps, incident, command, ctx);
}

async function runInRoom(deps: IncidentDeps, incident: Incident, command: Command, ctx: CommandContext): Promise<Reply | undefined> {
  const { actor, key } = ctx;
  const label = incidentLabel(incident);
  switch (command.kind) {
    case 'status': {
      const r = await changeStatus(deps, incident.id, command.status, actor, key, command.message);
      return r.changed ? undefined : ephemeral(`${label} is already ${command.status}.`);
    }
    case 'severity': {
      const r = await changeSeverity(deps, incident.id, command.severity, actor, key);
      return r.changed ? undefined : ephemeral(`${label} is already ${command.severity}.`);
    }
    case 'role': {
      const assignee = await ctx.resolveUser(command.user);
      const r = await assignRole(deps, incident.id, command.role, assignee, actor, key);
      return r.changed ? undefined : ephemeral(`${assignee.name ?? assignee.id} is already the ${command.role}.`);
    }
    case 'note':
      await addNote(deps, incident.id, command.text, actor, key, ctx.mentions);
      return ephemeral(`Noted on the ${label} timeline.`);
    case 'action': {
      const owner = command.owner ? await ctx.resolveUser(command.owner) : undefined;
      await addActionItem(deps, incident.id, command.text, owner, actor, key, ctx.mentions);
      return undefined;
    }
    case 'resolve': {
      const r = await resolveIncident(deps, incident.id, actor, key, command.summary);
      return r.changed ? undefined : ephemeral(`${label} is already resolved.`);
    }
    case 'close': {
      const r = await closeIncident(deps, incident.id, actor, key);
      return r.changed ? undefined : ephemeral(`${label} is already closed.`);
    }
    case 'reopen': {
      const r = await reopenIncident(deps, incident.id, actor, key, command.reason);
      return r.changed ? undefined : ephemeral(`${label} is not resolved, so there is nothing to reopen.`);
    }
    case 'page': {
      if (!deps.paging) throw new SitrepError('unavailable', 'Paging is not configured. Set ONCALL_FILE to an on-call schedule (see oncall.example.yaml).');
      const target = 'user' in command.target ? { user: await ctx.resolveUser(command.target.user) } : command.target;
      await deps.paging.page(incident, target, actor, command.message);
      return undefined;
    }
    case 'trace':
      await triageOnDemand(deps, incident.id, command.traceId, actor);
      return ephemeral(`Reading trace ${command.traceId}; the verdict will appear on the ${label} card.`);
    case 'owner':
      await handOff(deps, incident.id, command.team, command.reason, actor, key);
      return undefined;
    case 'update':
      await postStatusUpdate(deps, incident.id, command.text, actor, key, ctx.mentions);
      return undefined;
    case 'postmortem': {
      if (!deps.postmortem) throw new SitrepError('unavailable', 'Postmortem drafting is not available in this installation.');
      const result = await deps.postmortem.draft(incident.id, actor);
      return ephemeral(result.message);
    }
    default:
      return ephemeral(HELP_TEXT);
  }
}

function roomLink(incident: Incident): string {
  if (!incident.room) return incident.title;
  if (incident.room.platform === 'slack') return `<#${incident.room.id}>`;
  return incident.room.url ?? incident.room.name ?? incident.title;
}

async function listOpen(deps: IncidentDeps): Promise<string> {
  const open = await deps.store.listOpen();
  if (open.length === 0) return 'No open incidents. :sunny:';
  const lines = open
    .sort((a, b) => a.severity.localeCompare(b.severity) || a.number - b.number)
    .map((i) => `• ${incidentLabel(i)} ${i.severity} *${i.status}* — ${i.title} ${roomLink(i)}${i.roles.lead ? ` (lead ${i.roles.lead.name ?? i.roles.lead.id})` : ''}`);
  return [`${open.length} open incident${open.length === 1 ? '' : 's'}:`, ...lines].join('\n');
}

/** `/incident changes`: in a room, the incident's services from an hour before it began; elsewhere, one service's. */
async function changesReply(deps: IncidentDeps, command: Extract<Command, { kind: 'changes' }>, incident: Incident | undefined, platform: Platform): Promise<string> {
  const result = await listChanges(deps, { service: command.service, sinceMs: command.sinceMs, incident });
  const link = platform === 'slack' ? (label: string, url: string) => `<${url}|${label}>` : (label: string, url: string) => `[${label}](${url})`;
  const scope = `${result.services.join(', ')} since ${result.since}`;
  if (result.changes.length === 0) return `No changes recorded for ${scope}.`;
  const lines = result.changes.map((c) => `• ${changeLine(c, { timeZone: deps.settings.timeZone, anchor: incident?.declaredAt, link })}`);
  return [`Changes to ${scope}, latest first:`, ...lines].join('\n');
}
