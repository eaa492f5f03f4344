import type { Workspace } from '../workspace.js';
import { chatMethods } from './chat.js';
import { conversationMethods } from './conversations.js';
import { fileMethods } from './files.js';
import type { Handler } from './handler.js';
import { pinMethods } from './pins.js';
import { reactionMethods } from './reactions.js';
import { userMethods } from './users.js';
import { viewMethods } from './views.js';

export type { CallContext, Handler } from './handler.js';

/** Every Web API method the fake implements; anything else answers `unknown_method`. */
export function webApiMethods(ws: Workspace): Map<string, Handler> {
  return new Map(
    Object.entries({
      ...userMethods(ws),
      ...conversationMethods(ws),
      ...chatMethods(ws),
      ...pinMethods(ws),
      ...reactionMethods(ws),
      ...viewMethods(ws),
      ...fileMethods(ws),
    }),
  );
}
