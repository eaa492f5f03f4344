import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

export type Args = Record<string, unknown>;

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a Web API request the way Slack does: query string, form, JSON or multipart. */
export function parseArgs(contentType: string | undefined, raw: Buffer, search: URLSearchParams): Args {
  const args: Args = Object.fromEntries(search.entries());
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return args;
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('JSON body must be an object');
    }
    return { ...args, ...(parsed as Args) };
  }
  if (type === 'multipart/form-data') {
    for (const part of parseMultipart(contentType ?? '', raw)) {
      args[part.name] = part.filename === undefined ? part.data.toString('utf8') : part.data;
    }
    return args;
  }
  // web-api sends form-encoded bodies; Slack also treats text/plain and a missing type as form data.
  for (const [key, value] of Object.entries(parseQuery(raw.toString('utf8')))) {
    args[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return args;
}

export interface MultipartPart {
  name: string;
  filename?: string;
  data: Buffer;
}

/** Minimal multipart/form-data reader: enough for fetch's FormData, which web-api uses for binary uploads. */
export function parseMultipart(contentType: string, raw: Buffer): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const token = boundary?.[1] ?? boundary?.[2];
  if (!token) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${token}`);
  const parts: MultipartPart[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const headerStart = start + delimiter.length;
    if (raw.subarray(headerStart, headerStart + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, headerStart);
    if (next === -1) break;
    const section = raw.subarray(headerStart + 2, next - 2); // strip leading and trailing CRLF
    const split = section.indexOf('\r\n\r\n');
    const headers = section.subarray(0, split).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined) {
      parts.push({ name, filename, data: Buffer.from(section.subarray(split + 4)) });
    }
    start = next;
  }
  return parts;
}
