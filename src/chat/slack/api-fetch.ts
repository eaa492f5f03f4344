import type { webApi } from '@slack/bolt';
import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';

type FetchFunction = webApi.FetchFunction;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/**
 * The fetch sitrep's Slack clients use (WebClientOptions.fetch). A Web API call is a POST of a string
 * (form-encoded or JSON) answered with a small JSON document: those go through undici's `request`, which
 * costs about a third of the CPU of the WHATWG fetch pipeline per call (a storm opening dozens of rooms
 * makes hundreds of calls at once). Anything else — file uploads and their forms — goes to the platform's
 * fetch unchanged.
 */
export function createApiFetch(fallback: FetchFunction = globalThis.fetch as unknown as FetchFunction): FetchFunction {
  // A Web API call that hangs (Slack half down) gives up after 30 s and is retried by web-api, instead of
  // holding a room opening for undici's default five minutes.
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  return async (url, init = {}) => {
    const { body } = init;
    if (typeof body !== 'string' || init.method?.toUpperCase() !== 'POST') return fallback(url, init);
    // web-api asks for `redirect: 'error'`: undici's request never follows one, and a 3xx answer becomes
    // web-api's HTTP error like any status but 200 and 429.
    const res = await request(url, { method: 'POST', headers: init.headers ?? {}, body, ...(init.signal ? { signal: init.signal } : {}), dispatcher });
    const bytes = await res.body.arrayBuffer();
    return answer(String(url), res.statusCode, res.headers, bytes);
  };
}

/** What web-api reads of an answer (its FetchResponse), over a body already read. */
function answer(url: string, status: number, raw: Record<string, string | string[] | undefined>, bytes: ArrayBuffer): FetchResponse {
  const headers = new Map<string, string>();
  // Repeated headers are joined as fetch's Headers does.
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  const text = () => Buffer.from(bytes).toString('utf8');
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: STATUS_CODES[status] ?? '',
    url,
    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
    arrayBuffer: () => Promise.resolve(bytes),
    text: () => Promise.resolve(text()),
    json: () => Promise.resolve(JSON.parse(text()) as unknown),
  };
}
