import { z } from 'zod';
import { SitrepError } from '../domain/errors.js';

export interface ConfluenceSettings {
  /** Confluence Cloud base URL, e.g. https://acme.atlassian.net/wiki */
  baseUrl: string;
  user: string;
  token: string;
  space: string;
  timeoutMs?: number;
}

export interface ConfluencePage {
  pageId: string;
  url: string;
}

const PageReply = z.object({
  id: z.string(),
  _links: z.object({ base: z.string().optional(), webui: z.string().optional(), tinyui: z.string().optional() }).optional(),
  version: z.object({ number: z.number().int() }).optional(),
});

/**
 * Confluence Cloud pages through the REST API v1 (`/rest/api/content`), storage-format bodies, basic
 * auth with the account email and an API token. Every failure becomes a sentence saying which setting
 * to check; the token never appears in one.
 */
export class ConfluenceClient {
  private readonly base: string;
  private readonly auth: string;

  constructor(private readonly settings: ConfluenceSettings) {
    this.base = settings.baseUrl.replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(`${settings.user}:${settings.token}`).toString('base64')}`;
  }

  /** Creates the page, or updates `existing` (a redraft) so the link people already have keeps working. */
  async publish(title: string, storageHtml: string, existing?: ConfluencePage): Promise<ConfluencePage> {
    if (existing) {
      const current = await this.request('GET', `/rest/api/content/${encodeURIComponent(existing.pageId)}?expand=version`, undefined, { allow404: true });
      if (current) {
        const version = (current.version?.number ?? 0) + 1;
        const updated = await this.request('PUT', `/rest/api/content/${encodeURIComponent(existing.pageId)}`, {
          id: existing.pageId,
          type: 'page',
          title,
          version: { number: version },
          body: { storage: { value: storageHtml, representation: 'storage' } },
        });
        return this.pageOf(updated!, existing.url);
      }
      // The page was deleted in Confluence: make a new one rather than fail.
    }
    const created = await this.request('POST', '/rest/api/content', {
      type: 'page',
      title,
      space: { key: this.settings.space },
      body: { storage: { value: storageHtml, representation: 'storage' } },
    });
    return this.pageOf(created!);
  }

  private pageOf(reply: z.infer<typeof PageReply>, fallbackUrl?: string): ConfluencePage {
    const links = reply._links;
    const web = links?.webui ?? links?.tinyui;
    const url = web ? `${links?.base ?? this.base}${web}` : (fallbackUrl ?? `${this.base}/pages/viewpage.action?pageId=${encodeURIComponent(reply.id)}`);
    return { pageId: reply.id, url };
  }

  private async request(method: string, path: string, body?: unknown, options: { allow404?: boolean } = {}): Promise<z.infer<typeof PageReply> | undefined> {
    const url = `${this.base}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: this.auth, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? 'no answer in time' : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
      throw new SitrepError('unavailable', `Could not reach Confluence at ${new URL(this.base).host} (${reason}). Check CONFLUENCE_URL, or try again later with /incident postmortem.`, { cause: err });
    }
    if (res.status === 404 && options.allow404) return undefined;
    if (!res.ok) throw new SitrepError('unavailable', await this.explain(res), { cause: new Error(`HTTP ${res.status} from ${method} ${path}`) });
    const parsed = PageReply.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new SitrepError('unavailable', `Confluence answered ${method} ${path} with something that is not a page. Check that CONFLUENCE_URL points at Confluence Cloud (it ends in /wiki).`);
    return parsed.data;
  }

  private async explain(res: Response): Promise<string> {
    const detail = await res
      .json()
      .then((b: unknown) => (typeof b === 'object' && b && 'message' in b && typeof b.message === 'string' ? b.message.slice(0, 200) : undefined))
      .catch(() => undefined);
    const space = this.settings.space;
    switch (res.status) {
      case 401:
        return 'Confluence refused the credentials (HTTP 401). Check CONFLUENCE_USER (the account email) and CONFLUENCE_TOKEN (an API token from id.atlassian.com).';
      case 403:
        return `The Confluence account may not create pages in space ${space} (HTTP 403). Give it "Add page" permission in that space.`;
      case 404:
        return `Confluence has no space ${space} or no API at ${this.base} (HTTP 404). Check CONFLUENCE_SPACE and CONFLUENCE_URL (it ends in /wiki).`;
      case 400:
        return `Confluence rejected the page (HTTP 400${detail ? `: ${detail}` : ''}).`;
      case 429:
        return 'Confluence is rate-limiting us (HTTP 429). Try again in a minute with /incident postmortem.';
      default:
        return `Confluence is not answering properly (HTTP ${res.status}). Try again later with /incident postmortem.`;
    }
  }
}

/** The client for the configured space, or undefined when Confluence export is not set up. */
export function confluenceFromConfig(config: { CONFLUENCE_URL?: string; CONFLUENCE_USER?: string; CONFLUENCE_TOKEN?: string; CONFLUENCE_SPACE?: string }): ConfluenceClient | undefined {
  const { CONFLUENCE_URL: baseUrl, CONFLUENCE_USER: user, CONFLUENCE_TOKEN: token, CONFLUENCE_SPACE: space } = config;
  return baseUrl && user && token && space ? new ConfluenceClient({ baseUrl, user, token, space }) : undefined;
}
