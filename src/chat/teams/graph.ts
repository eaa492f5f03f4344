import { ConfidentialClientApplication, ManagedIdentityApplication } from '@azure/msal-node';
import type { Logger } from '../../log.js';
import { msalConfiguration, resolveTeamsEndpoints, type TeamsAuthConfig } from './auth.js';
import { withTeamsRetry } from './retry.js';

/** A refusal from Microsoft Graph, with the status and Graph's own error code ("Forbidden", "NameAlreadyExists"). */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** For withTeamsRetry: Retry-After lives here. */
    readonly response: { status: number; headers: { get(name: string): string | undefined } },
  ) {
    super(message);
  }
}

export interface GraphChannel {
  id: string;
  displayName: string;
  webUrl?: string;
}

export type GraphToken = () => Promise<string>;

/**
 * The one Graph call sitrep makes: a channel per incident (TEAMS_ROOM_MODE=channel). It needs the
 * application permission Channel.Create (or the resource-specific Channel.Create.Group consented by the
 * team owner); without it Graph answers 403 and the caller falls back to a thread.
 */
export class GraphClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: GraphToken,
    private readonly logger: Logger,
  ) {}

  async createChannel(teamId: string, displayName: string, description: string): Promise<GraphChannel> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/teams/${encodeURIComponent(teamId)}/channels`;
    const body = JSON.stringify({ displayName, description: description.slice(0, 1024), membershipType: 'standard' });
    const created = await withTeamsRetry(() => this.post(url, body), {
      retryOn: [429, 502, 503, 504],
      onRetry: ({ status, delayMs }) => this.logger.info({ status, delayMs }, 'Graph busy; retrying channel creation'),
    });
    const { id, webUrl } = created as { id?: unknown; webUrl?: unknown };
    if (typeof id !== 'string' || !id) throw new GraphError(502, 'BadResponse', 'Graph created a channel but returned no id.', emptyResponse(502));
    return { id, displayName, webUrl: typeof webUrl === 'string' ? webUrl : undefined };
  }

  private async post(url: string, body: string): Promise<unknown> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${await this.token()}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const json = parse(text);
    if (response.ok) return json;
    const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new GraphError(
      response.status,
      typeof error?.code === 'string' ? error.code : 'Unknown',
      typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
      { status: response.status, headers: { get: (name) => response.headers.get(name) ?? undefined } },
    );
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

const emptyResponse = (status: number) => ({ status, headers: { get: () => undefined } });

/** Graph's token audience: national clouds have their own Graph host, everything else is the global one. */
export function graphScope(graphUrl: string): string {
  const url = new URL(graphUrl);
  const national = /^(dod-graph|graph)\.microsoft\.(us|de)$|^microsoftgraph\.chinacloudapi\.cn$/.test(url.hostname);
  return `${national ? url.origin : 'https://graph.microsoft.com'}/.default`;
}

/** App-only Graph tokens from the bot's own identity (secret, certificate or managed identity); MSAL caches them. */
export function createGraphToken(config: TeamsAuthConfig, graphUrl: string): GraphToken {
  const scope = graphScope(graphUrl);
  if (config.auth.type === 'managedIdentity') {
    const identity = new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: config.auth.clientId ?? config.appId } });
    return async () => (await identity.acquireToken({ resource: scope.replace(/\/\.default$/, '') })).accessToken;
  }
  const msal = new ConfidentialClientApplication(msalConfiguration(config, resolveTeamsEndpoints(config)));
  return async () => {
    const result = await msal.acquireTokenByClientCredential({ scopes: [scope] });
    if (!result?.accessToken) throw new Error('Entra ID issued no Graph token');
    return result.accessToken;
  };
}
