import type { Args } from '../body.js';
import type { Workspace } from '../workspace.js';

export interface CallContext {
  ws: Workspace;
  /** The user the token belongs to: the bot user for a bot token. */
  caller: string;
}

/** A Web API method: returns the fields beside `ok: true`, or throws SlackApiError. */
export type Handler = (args: Args, ctx: CallContext) => Record<string, unknown>;
