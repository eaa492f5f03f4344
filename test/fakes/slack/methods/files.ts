import { randomBytes } from 'node:crypto';
import { isRecord, jsonArg, list, optNumber, optString, requireString } from '../args.js';
import { fileJson } from '../json.js';
import { SlackApiError, botAuthor, type FakeFile, type Workspace } from '../workspace.js';
import type { Handler } from './handler.js';
import { readContent } from './chat.js';

const TYPES: Record<string, [filetype: string, mimetype: string]> = {
  txt: ['text', 'text/plain'],
  log: ['text', 'text/plain'],
  md: ['markdown', 'text/markdown'],
  json: ['json', 'application/json'],
  csv: ['csv', 'text/csv'],
  html: ['html', 'text/html'],
  pdf: ['pdf', 'application/pdf'],
  png: ['png', 'image/png'],
  jpg: ['jpg', 'image/jpeg'],
  zip: ['zip', 'application/zip'],
  yaml: ['yaml', 'text/plain'],
};

function typeOf(filename: string): [string, string] {
  const ext = filename.includes('.') ? (filename.split('.').pop() ?? '').toLowerCase() : '';
  return TYPES[ext] ?? ['binary', 'application/octet-stream'];
}

/** Step 2 of files.uploadV2: the bytes land on the URL handed out by files.getUploadURLExternal. */
export function receiveUpload(ws: Workspace, uploadToken: string, bytes: Buffer): FakeFile | undefined {
  const file = ws.files.find((f) => f.upload_token === uploadToken && !f.completed);
  if (!file) return undefined;
  file.bytes = bytes;
  file.size = bytes.length;
  file.uploaded = true;
  return file;
}

export function fileMethods(ws: Workspace): Record<string, Handler> {
  return {
    'files.getUploadURLExternal': (args, { caller }) => {
      const filename = requireString(args, 'filename');
      const length = optNumber(args, 'length');
      if (length === undefined || !Number.isInteger(length) || length < 0) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: length'] } });
      const [filetype, mimetype] = typeOf(filename);
      const file: FakeFile = {
        id: ws.nextId('F'),
        name: filename,
        title: filename,
        filetype,
        mimetype,
        alt_text: optString(args, 'alt_text'),
        declared_length: length,
        size: 0,
        bytes: Buffer.alloc(0),
        uploaded: false,
        completed: false,
        user: caller,
        created: ws.now(),
        upload_token: randomBytes(12).toString('hex'),
        channels: [],
        shares: {},
      };
      ws.files.push(file);
      return { upload_url: ws.uploadUrl(file), file_id: file.id };
    },

    'files.completeUploadExternal': (args, { caller }) => {
      const entries = jsonArg(args, 'files');
      if (!Array.isArray(entries) || entries.length === 0) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: files'] } });
      const files = entries.map((entry) => {
        const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : undefined;
        const file = ws.files.find((f) => f.id === id && f.user === caller);
        if (!file || !file.uploaded || file.completed) throw new SlackApiError('file_not_found');
        if (isRecord(entry) && typeof entry.title === 'string' && entry.title !== '') file.title = entry.title;
        return file;
      });
      const channelIds = [...list(args, 'channels'), ...list(args, 'channel_id')];
      const channels = channelIds.map((id) => ws.visibleChannel(id, caller));
      for (const channel of channels) {
        if (channel.is_archived) throw new SlackApiError('is_archived');
        if (!channel.members.includes(caller)) throw new SlackApiError('not_in_channel');
      }
      for (const file of files) file.completed = true;
      const threadTs = optString(args, 'thread_ts');
      const { text, blocks } = readContent({ text: args.initial_comment, blocks: args.blocks });
      // Sharing posts one message carrying all the files, as the Slack client shows it.
      for (const channel of channels) {
        for (const file of files) file.channels.push(channel.id);
        const message = ws.addMessage(channel.id, {
          ...botAuthor(),
          text: text ?? '',
          blocks,
          thread_ts: threadTs,
          upload: true,
          files: [],
        });
        for (const file of files) (file.shares[channel.id] ??= []).push({ ts: message.ts, ...(threadTs ? { thread_ts: threadTs } : {}) });
        message.files = files.map((f) => fileJson(f, ws));
      }
      return { files: files.map((f) => fileJson(f, ws)) };
    },
  };
}
