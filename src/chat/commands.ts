import { parseSeverity, type Severity } from '../domain/severity.js';
import { parseStatus, type Status } from '../domain/status.js';
import type { Role } from '../domain/incident.js';

/**
 * The `/incident …` language, shared by Slack (slash command) and Teams (`@sitrep incident …`).
 * Mentions arrive in each platform's own syntax; the adapter turns them into `UserToken`s first.
 */
export interface UserToken {
  id: string;
  name?: string;
}

export type Command =
  | { kind: 'declare'; title: string }
  | { kind: 'modal' }
  | { kind: 'help'; reason?: string }
  | { kind: 'list' }
  | { kind: 'status'; status: Status; message?: string }
  | { kind: 'severity'; severity: Severity }
  | { kind: 'role'; role: Role; user: UserToken }
  | { kind: 'note'; text: string }
  | { kind: 'action'; text: string; owner?: UserToken }
  | { kind: 'resolve'; summary?: string }
  | { kind: 'close' }
  | { kind: 'reopen'; reason?: string }
  | { kind: 'page'; target: { team: string } | { user: UserToken }; message?: string }
  | { kind: 'trace'; traceId: string }
  | { kind: 'owner'; team: string; reason?: string }
  | { kind: 'postmortem' }
  | { kind: 'repair'; number: number }
  | { kind: 'report'; team?: string }
  | { kind: 'changes'; service?: string; sinceMs?: number }
  | { kind: 'update'; text: string };

/** Subcommands that only make sense inside an incident room. */
export const ROOM_COMMANDS = new Set<Command['kind']>(['status', 'severity', 'role', 'note', 'action', 'resolve', 'close', 'reopen', 'page', 'trace', 'owner', 'postmortem', 'update']);

export const HELP_TEXT = [
  '*/incident <title>* — declare an incident (opens a channel); */incident* alone opens a form',
  'Inside an incident channel:',
  '• */incident status <investigating|identified|monitoring|resolved> [message]*',
  '• */incident sev <1-4>* — change severity',
  '• */incident lead|comms|scribe @person* — assign a role',
  '• */incident note <text>* — add a note to the timeline',
  '• */incident action <text> [@owner]* — record a follow-up action item',
  '• */incident page <team|@person> [message]* — page the on-call',
  '• */incident trace <trace id>* — find where the failure starts and who owns it',
  '• */incident owner <team> [reason]* — hand the incident to another team',
  '• */incident resolve [summary]*, */incident reopen*, */incident close* (lead only), */incident postmortem*',
  '• */incident update <text>* — post a status update in the room and the announcements channel',
  '• */incident changes [service] [--since 2h]* — deploys, config pushes, flags and rollouts before the incident',
  'Anywhere: */incident list* — open incidents, */incident repair <n>* — finish a half-opened room, */incident help*',
  '• */incident report [team]* — response figures of the last 30 days (MTTA, MTTR, hops…)',
].join('\n');

type MentionParser = (token: string) => UserToken | undefined;

/**
 * Parses the text after `/incident`. Outside an incident room unknown words are a title; inside one
 * they are most likely a mistyped subcommand, so the user gets help instead of a surprise incident.
 */
export function parseCommand(text: string, options: { inRoom: boolean; parseMention: MentionParser }): Command {
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'modal' };
  const [word = '', ...restWords] = trimmed.split(/\s+/);
  const rest = trimmed.slice(word.length).trim();
  const sub = word.toLowerCase();
  const mention = (token: string | undefined) => (token ? options.parseMention(token) : undefined);

  switch (sub) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'list':
      return { kind: 'list' };
    case 'new':
    case 'declare':
      return rest ? { kind: 'declare', title: rest } : { kind: 'modal' };
    case 'status': {
      const status = parseStatus(restWords[0] ?? '');
      if (!status) return { kind: 'help', reason: `"${restWords[0] ?? ''}" is not a status. Use investigating, identified, monitoring or resolved.` };
      return { kind: 'status', status, message: restWords.slice(1).join(' ') || undefined };
    }
    case 'sev':
    case 'severity': {
      const severity = parseSeverity(rest);
      return severity ? { kind: 'severity', severity } : { kind: 'help', reason: `"${rest}" is not a severity. Use 1 (worst) to 4.` };
    }
    case 'lead':
    case 'comms':
    case 'scribe': {
      const user = mention(restWords[0]);
      return user ? { kind: 'role', role: sub, user } : { kind: 'help', reason: `Mention the person: /incident ${sub} @someone` };
    }
    case 'note':
      return rest ? { kind: 'note', text: rest } : { kind: 'help', reason: 'Write the note: /incident note <text>' };
    case 'action': {
      if (!rest) return { kind: 'help', reason: 'Describe the action: /incident action <text> [@owner]' };
      const owner = mention(restWords[restWords.length - 1]);
      const text = owner ? restWords.slice(0, -1).join(' ') : rest;
      return text ? { kind: 'action', text, owner } : { kind: 'help', reason: 'Describe the action: /incident action <text> [@owner]' };
    }
    case 'resolve':
      return { kind: 'resolve', summary: rest || undefined };
    case 'close':
      return { kind: 'close' };
    case 'reopen':
      return { kind: 'reopen', reason: rest || undefined };
    case 'page': {
      const target = restWords[0];
      if (!target) return { kind: 'help', reason: 'Say whom to page: /incident page <team|@person> [message]' };
      const user = mention(target);
      const message = restWords.slice(1).join(' ') || undefined;
      return { kind: 'page', target: user ? { user } : { team: target }, message };
    }
    case 'trace': {
      const traceId = restWords[0];
      return traceId && /^[0-9a-fA-F-]{8,64}$/.test(traceId)
        ? { kind: 'trace', traceId: traceId.replace(/-/g, '').toLowerCase() }
        : { kind: 'help', reason: 'Give a trace id (hex): /incident trace <trace id>' };
    }
    case 'owner':
    case 'handoff':
      return restWords[0] ? { kind: 'owner', team: restWords[0], reason: restWords.slice(1).join(' ') || undefined } : { kind: 'help', reason: 'Name the team: /incident owner <team> [reason]' };
    case 'postmortem':
      return { kind: 'postmortem' };
    case 'changes':
      return parseChanges(restWords);
    case 'update':
      return rest ? { kind: 'update', text: rest } : { kind: 'help', reason: 'Write the update: /incident update <what is happening, what is next>' };
    case 'repair': {
      const number = Number(/^(?:inc-)?(\d+)$/i.exec(restWords[0] ?? '')?.[1]);
      return number ? { kind: 'repair', number } : { kind: 'help', reason: 'Name the incident: /incident repair <number>' };
    }
    case 'report':
      return { kind: 'report', team: restWords[0] };
    default:
      if (options.inRoom) return { kind: 'help', reason: `Unknown subcommand "${word}". To declare another incident from here, use /incident new <title>.` };
      return { kind: 'declare', title: trimmed };
  }
}

const DURATION = /^(\d+)\s*(m|min|h|d)$/i;
const UNIT_MS = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `changes [service] [--since 2h]`; `--since=30m` works too. */
function parseChanges(words: string[]): Command {
  const usage = 'Use /incident changes [service] [--since 2h] (m, h or d).';
  let service: string | undefined;
  let sinceMs: number | undefined;
  for (let n = 0; n < words.length; n++) {
    const word = words[n]!;
    if (word.toLowerCase().startsWith('--since')) {
      const value = word.includes('=') ? word.slice(word.indexOf('=') + 1) : words[++n];
      const match = DURATION.exec(value ?? '');
      if (!match) return { kind: 'help', reason: `"${value ?? ''}" is not a duration. ${usage}` };
      sinceMs = Number(match[1]) * UNIT_MS[match[2]!.toLowerCase() as keyof typeof UNIT_MS];
    } else if (!service) {
      service = word;
    } else {
      return { kind: 'help', reason: `Name one service. ${usage}` };
    }
  }
  return { kind: 'changes', service, sinceMs };
}
