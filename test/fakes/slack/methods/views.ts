import { randomBytes } from 'node:crypto';
import type { Args } from '../body.js';
import { isRecord, jsonArg, optString } from '../args.js';
import { viewJson } from '../json.js';
import { BOT, SlackApiError, TEAM, type FakeView, type Workspace } from '../workspace.js';
import type { Handler } from './handler.js';

const MAX_TITLE = 24;
const MAX_BLOCKS = 100;
const MAX_METADATA = 3000;
const MAX_STACK = 3;

function invalid(message: string): SlackApiError {
  return new SlackApiError('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${message}`] } });
}

/** The subset of Slack's view validation that catches real mistakes: title length, input blocks without submit. */
function readView(args: Args): Record<string, unknown> {
  const view = jsonArg(args, 'view');
  if (!isRecord(view)) throw invalid('missing required field: view');
  if (view.type !== 'modal') throw invalid('unsupported view type [json-pointer:/view/type]');
  const title = view.title;
  if (!isRecord(title) || title.type !== 'plain_text' || typeof title.text !== 'string' || title.text === '') {
    throw invalid('missing required field: title [json-pointer:/view/title]');
  }
  if (title.text.length > MAX_TITLE) throw invalid(`must be less than ${MAX_TITLE + 1} characters [json-pointer:/view/title/text]`);
  const blocks = view.blocks;
  if (!Array.isArray(blocks)) throw invalid('missing required field: blocks [json-pointer:/view/blocks]');
  if (blocks.length > MAX_BLOCKS) throw invalid(`no more than ${MAX_BLOCKS} items allowed [json-pointer:/view/blocks]`);
  blocks.forEach((block, i) => {
    if (!isRecord(block) || typeof block.type !== 'string') throw invalid(`missing required field: type [json-pointer:/view/blocks/${i}]`);
  });
  if (blocks.some((b) => isRecord(b) && b.type === 'input') && view.submit === undefined) {
    throw invalid('must provide a submit property when using input blocks [json-pointer:/view]');
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > MAX_METADATA) {
    throw invalid(`must be less than ${MAX_METADATA + 1} characters [json-pointer:/view/private_metadata]`);
  }
  return view;
}

function hash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
}

function viewFields(input: Record<string, unknown>): Pick<FakeView, 'type' | 'title' | 'close' | 'submit' | 'blocks' | 'private_metadata' | 'callback_id' | 'external_id' | 'clear_on_close' | 'notify_on_close'> {
  return {
    type: 'modal',
    title: input.title,
    close: input.close ?? null,
    submit: input.submit ?? null,
    blocks: input.blocks as unknown[],
    private_metadata: typeof input.private_metadata === 'string' ? input.private_metadata : '',
    callback_id: typeof input.callback_id === 'string' ? input.callback_id : '',
    external_id: typeof input.external_id === 'string' ? input.external_id : '',
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
  };
}

/** Creates a modal on a user's screen, on top of `below` when pushed. Also used by the driver for ack-pushed views. */
export function createView(ws: Workspace, input: Record<string, unknown>, user: string, below?: FakeView): FakeView {
  const fields = viewFields(input);
  if (fields.external_id !== '' && ws.views.some((v) => v.external_id === fields.external_id)) {
    throw new SlackApiError('duplicate_external_id');
  }
  const id = ws.nextId('V');
  const view: FakeView = {
    id,
    team_id: TEAM.id,
    ...fields,
    state: { values: {} },
    hash: hash(),
    root_view_id: below?.root_view_id ?? id,
    previous_view_id: below?.id ?? null,
    app_id: BOT.appId,
    app_installed_team_id: TEAM.id,
    bot_id: BOT.botId,
    user,
    open: true,
  };
  ws.views.push(view);
  return view;
}

/** Replaces a modal's content in place, as views.update and `response_action: update` do. */
export function replaceView(view: FakeView, input: Record<string, unknown>): void {
  Object.assign(view, viewFields(input), { hash: hash(), errors: undefined });
}

export function viewMethods(ws: Workspace): Record<string, Handler> {
  return {
    'views.open': (args) => {
      const input = readView(args);
      const trigger = ws.consumeTrigger(args.trigger_id);
      return { view: viewJson(createView(ws, input, trigger.user)) };
    },

    'views.push': (args) => {
      const input = readView(args);
      const trigger = ws.consumeTrigger(args.trigger_id);
      const stack = ws.openViewStack(trigger.user);
      const top = stack.at(-1);
      if (!top) throw new SlackApiError('not_found');
      if (stack.length >= MAX_STACK) throw new SlackApiError('push_limit_reached');
      return { view: viewJson(createView(ws, input, trigger.user, top)) };
    },

    'views.update': (args) => {
      const viewId = optString(args, 'view_id');
      const externalId = optString(args, 'external_id');
      if (viewId === undefined && externalId === undefined) throw invalid('missing required field: view_id');
      const view = ws.views.find((v) => (viewId !== undefined ? v.id === viewId : v.external_id === externalId));
      if (!view?.open) throw new SlackApiError('not_found');
      const expected = optString(args, 'hash');
      if (expected !== undefined && expected !== view.hash) throw new SlackApiError('hash_conflict');
      replaceView(view, readView(args));
      return { view: viewJson(view) };
    },
  };
}
