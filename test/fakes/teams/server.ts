import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import {
  aadKey,
  BOT_FRAMEWORK_ISSUER,
  channelKey,
  publicJwk,
  signJwt,
  verifyJwt,
  type JwtClaims,
} from './keys.js';

/**
 * One loopback HTTP server standing in for everything a Teams bot talks to:
 * - the Bot Framework channel's OpenID metadata and signing keys (inbound token validation),
 * - Entra ID's token endpoint (the bot's outbound client-credentials token),
 * - the Bot Connector service at the activities' serviceUrl (`/v3/conversations/...`),
 * - a slice of Microsoft Graph under `/graph/v1.0` (channel creation).
 * Every connector and Graph call must carry a bearer token this fake's Entra ID issued.
 */

export const CONNECTOR_AUDIENCE = 'https://api.botframework.com';
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

export interface FakeMember {
  /** Teams user id as the connector reports it (`29:...`). */
  id: string;
  aadObjectId: string;
  name: string;
  userPrincipalName: string;
  email?: string;
  givenName?: string;
  surname?: string;
}

export interface FakeChannel {
  /** Thread id, `19:...@thread.tacv2`; the same id in Graph and in activities' channelData. */
  id: string;
  displayName: string;
  description?: string;
  membershipType: 'standard' | 'private' | 'shared';
}

export interface FakeTeam {
  /** Thread id of the team (`channelData.team.id` in activities). */
  id: string;
  /** The Microsoft 365 group id: what Graph calls the team id. */
  aadGroupId: string;
  name: string;
  channels: FakeChannel[];
}

export interface FakeConversation {
  id: string;
  conversationType: 'channel' | 'personal' | 'groupChat';
  isGroup: boolean;
  channelId?: string;
  memberIds: string[];
  tenantId: string;
}

export interface SentActivity {
  id: string;
  conversationId: string;
  replyToId?: string;
  type: string;
  text?: string;
  attachments?: unknown[];
  /** The activity body exactly as the bot last sent it (after any update). */
  body: Record<string, unknown>;
  deleted: boolean;
}

export interface ActivityUpdate {
  conversationId: string;
  activityId: string;
  body: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** `appid` of the bearer token, when there was a valid one. */
  appId?: string;
  faulted: boolean;
}

export interface TokenRequest {
  clientId: string;
  tenant: string;
  scope: string;
  credential: 'secret' | 'certificate';
  granted: boolean;
}

export interface RegisteredApp {
  appId: string;
  tenantId?: string;
  secret?: string;
  /** PEM or key: verifies the client assertion MSAL signs with the bot's certificate. */
  certificatePublicKey?: string | KeyObject;
}

export interface FaultOptions {
  times?: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  method?: string;
}

interface Fault {
  path: RegExp;
  status: number;
  remaining: number;
  retryAfter?: number;
  method?: string;
}

export interface FakeTeamsOptions {
  tenantId?: string;
  /** `iss` the channel's tokens carry and the OpenID metadata advertises. */
  channelIssuer?: string;
  /** Channel ids the signing key is endorsed for. */
  endorsements?: string[];
}

type Json = Record<string, unknown>;

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  url: URL;
  body: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

const connectorError = (status: number, code: string, message: string) => new HttpError(status, { error: { code, message } });

let nextActivitySeq = 0;
/** Teams message ids are epoch milliseconds; keep them unique within a worker. */
function newActivityId(): string {
  nextActivitySeq += 1;
  return String(Date.now() * 1000 + (nextActivitySeq % 1000));
}

const threadId = (): string => `19:${randomUUID().replaceAll('-', '')}@thread.tacv2`;

export class FakeTeams {
  readonly tenantId: string;
  readonly channelIssuer: string;
  readonly endorsements: string[];
  /** The team the bot is installed in, with a General channel. */
  readonly team: FakeTeam;
  readonly teams = new Map<string, FakeTeam>();
  readonly members = new Map<string, FakeMember>();
  readonly conversations = new Map<string, FakeConversation>();
  readonly requests: RecordedRequest[] = [];
  readonly tokenRequests: TokenRequest[] = [];
  readonly updates: ActivityUpdate[] = [];
  /** Graph: answer channel creation with 403, as when the app lacks Channel.Create. */
  graph = { denyChannelCreation: false };
  /** Bot Connector `pagedmembers`: the most members one page holds, whatever page size the bot asks for. */
  roster = { maxPageSize: 500 };

  private readonly apps = new Map<string, RegisteredApp>();
  private readonly sent: SentActivity[] = [];
  private readonly faults: Fault[] = [];
  private server?: Server;
  private port = 0;

  private constructor(options: FakeTeamsOptions) {
    this.tenantId = options.tenantId ?? randomUUID();
    this.channelIssuer = options.channelIssuer ?? BOT_FRAMEWORK_ISSUER;
    this.endorsements = options.endorsements ?? ['msteams', 'webchat'];
    const general = threadId();
    this.team = {
      id: general,
      aadGroupId: randomUUID(),
      name: 'Platform Engineering',
      channels: [{ id: general, displayName: 'General', membershipType: 'standard' }],
    };
    this.teams.set(this.team.aadGroupId, this.team);
    this.addMember({ name: 'Maria Lopez', userPrincipalName: 'maria@contoso.example' });
  }

  static async start(options: FakeTeamsOptions = {}): Promise<FakeTeams> {
    const fake = new FakeTeams(options);
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What activities carry as serviceUrl; the Bot Connector routes live under it. */
  get serviceUrl(): string {
    return `${this.baseUrl}/`;
  }

  get openIdMetadataUrl(): string {
    return `${this.baseUrl}/v1/.well-known/openidconfiguration`;
  }

  get jwksUrl(): string {
    return `${this.baseUrl}/v1/.well-known/keys`;
  }

  /**
   * The MSAL authority for the bot's tenant. MSAL only accepts https authorities, so this names a
   * host that is never contacted: the token endpoint is pinned to {@link tokenEndpoint} instead.
   */
  get authority(): string {
    return `https://login.sitrep-fake.test/${this.tenantId}`;
  }

  get tokenEndpoint(): string {
    return `${this.baseUrl}/${this.tenantId}/oauth2/v2.0/token`;
  }

  get graphUrl(): string {
    return `${this.baseUrl}/graph/v1.0`;
  }

  /** The `endpoints` block of the Teams config that points both auth directions at this fake. */
  get endpoints(): { openIdMetadataUrl: string; tokenIssuer: string; loginUrl: string; tokenEndpoint: string } {
    return {
      openIdMetadataUrl: this.openIdMetadataUrl,
      tokenIssuer: this.channelIssuer,
      loginUrl: this.authority,
      tokenEndpoint: this.tokenEndpoint,
    };
  }

  registerApp(app: RegisteredApp): void {
    this.apps.set(app.appId, { tenantId: this.tenantId, ...app });
  }

  addMember(member: Partial<FakeMember> & { name: string }): FakeMember {
    const full: FakeMember = {
      id: member.id ?? `29:${randomUUID().replaceAll('-', '')}`,
      aadObjectId: member.aadObjectId ?? randomUUID(),
      userPrincipalName: member.userPrincipalName ?? `${member.name.toLowerCase().replaceAll(' ', '.')}@contoso.example`,
      ...member,
    };
    this.members.set(full.id, full);
    return full;
  }

  /** The first member: a person who is in the team. */
  get defaultUser(): FakeMember {
    const [first] = this.members.values();
    if (!first) throw new Error('FakeTeams has no members');
    return first;
  }

  addTeam(name: string): FakeTeam {
    const general = threadId();
    const team: FakeTeam = {
      id: general,
      aadGroupId: randomUUID(),
      name,
      channels: [{ id: general, displayName: 'General', membershipType: 'standard' }],
    };
    this.teams.set(team.aadGroupId, team);
    return team;
  }

  /** The next `times` requests whose path matches answer `status` (after authentication). */
  failNext(path: RegExp, status: number, options: FaultOptions = {}): void {
    this.faults.push({
      path,
      status,
      remaining: options.times ?? 1,
      retryAfter: options.retryAfter,
      method: options.method?.toUpperCase(),
    });
  }

  activities(conversationId: string): SentActivity[] {
    return this.sent.filter((a) => a.conversationId === conversationId);
  }

  allActivities(): SentActivity[] {
    return [...this.sent];
  }

  /** Resolves with the first truthy value `probe` returns, polling until `timeoutMs`. */
  async waitFor<T>(probe: (fake: FakeTeams) => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe(this);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`FakeTeams.waitFor timed out after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  // --- HTTP plumbing -------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const exchange: Exchange = {
      req,
      res,
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      url,
      body: await readBody(req),
    };
    const record: RecordedRequest = { method: exchange.method, path: exchange.path, status: 200, faulted: false };
    try {
      const result = await this.route(exchange, record);
      this.send(res, record, result.status, result.body, result.headers);
    } catch (err) {
      if (err instanceof HttpError) this.send(res, record, err.status, err.body, err.headers);
      else this.send(res, record, 500, { error: { code: 'ServiceError', message: String(err) } });
    }
  }

  private send(res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
    record.status = status;
    this.requests.push(record);
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }

  private async route(ex: Exchange, record: RecordedRequest): Promise<Reply> {
    const { method, path } = ex;
    if (method === 'GET' && path === '/v1/.well-known/openidconfiguration') return ok(this.openIdConfiguration());
    if (method === 'GET' && path === '/v1/.well-known/keys') {
      return ok({ keys: [publicJwk(channelKey, this.endorsements)] });
    }
    const tenantRoute = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|discovery\/v2\.0\/keys)$/.exec(path);
    if (tenantRoute) return this.entraId(ex, tenantRoute[1] ?? '', tenantRoute[2] ?? '');

    if (path.startsWith('/v3/')) {
      record.appId = this.authorize(ex, CONNECTOR_AUDIENCE);
      this.injectFault(ex, record);
      return this.connector(ex);
    }
    if (path.startsWith('/graph/v1.0/')) {
      record.appId = this.authorize(ex, GRAPH_AUDIENCE);
      this.injectFault(ex, record);
      return this.graphApi(ex);
    }
    throw new HttpError(404, { error: { code: 'NotFound', message: `no route for ${method} ${path}` } });
  }

  private injectFault(ex: Exchange, record: RecordedRequest): void {
    const fault = this.faults.find((f) => f.remaining > 0 && f.path.test(ex.path) && (!f.method || f.method === ex.method));
    if (!fault) return;
    fault.remaining -= 1;
    record.faulted = true;
    const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
    throw new HttpError(fault.status, { error: { code: faultCode(fault.status), message: `injected ${fault.status}` } }, headers);
  }

  /** Returns the token's app id, or throws 401 as the real services do. */
  private authorize(ex: Exchange, audience: string): string {
    const header = ex.req.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    const decoded = scheme === 'Bearer' && token ? verifyJwt(token, aadKey.publicKey) : undefined;
    const claims = decoded?.claims;
    const appId = typeof claims?.appid === 'string' ? claims.appid : undefined;
    if (!claims || claims.aud !== audience || !appId || !this.apps.has(appId)) {
      throw new HttpError(401, { message: 'Authorization has been denied for this request.' });
    }
    return appId;
  }

  // --- Entra ID --------------------------------------------------------------------------------

  private openIdConfiguration(): Json {
    return {
      issuer: this.channelIssuer,
      authorization_endpoint: 'https://invalid.botframework.com/v1/auth',
      jwks_uri: this.jwksUrl,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    };
  }

  private entraId(ex: Exchange, tenant: string, route: string): Reply {
    if (route.startsWith('v2.0/.well-known')) {
      return ok({
        issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
        authorization_endpoint: `${this.baseUrl}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${this.baseUrl}/${tenant}/oauth2/v2.0/token`,
        jwks_uri: `${this.baseUrl}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
      });
    }
    if (route === 'discovery/v2.0/keys') return ok({ keys: [publicJwk(aadKey)] });
    if (ex.method !== 'POST') throw new HttpError(405, { error: 'invalid_request' });
    return this.issueToken(ex, tenant);
  }

  private issueToken(ex: Exchange, tenant: string): Reply {
    const form = new URLSearchParams(ex.body);
    const clientId = form.get('client_id') ?? '';
    const scope = form.get('scope') ?? '';
    const assertion = form.get('client_assertion');
    const request: TokenRequest = { clientId, tenant, scope, credential: assertion ? 'certificate' : 'secret', granted: false };
    this.tokenRequests.push(request);
    const aadError = (status: number, error: string, description: string) =>
      new HttpError(status, { error, error_description: description, error_codes: [Number(description.slice(5, 12))] });

    if (form.get('grant_type') !== 'client_credentials') {
      throw aadError(400, 'unsupported_grant_type', 'AADSTS70003: only client_credentials is faked');
    }
    const app = this.apps.get(clientId);
    if (!app) {
      throw aadError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`);
    }
    if (app.tenantId !== tenant) {
      throw aadError(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' does not hold app '${clientId}' (single-tenant).`);
    }
    if (!scope.endsWith('/.default')) {
      throw aadError(400, 'invalid_scope', 'AADSTS1002012: The provided value for scope is not valid.');
    }
    if (assertion) {
      const key = app.certificatePublicKey;
      const decoded = key ? verifyJwt(assertion, typeof key === 'string' ? createPublicKey(key) : key) : undefined;
      const claims = decoded?.claims;
      if (!claims || claims.sub !== clientId || claims.iss !== clientId || claims.aud !== this.tokenEndpointFor(tenant)) {
        throw aadError(401, 'invalid_client', 'AADSTS700027: Client assertion failed signature validation.');
      }
    } else if (!app.secret || form.get('client_secret') !== app.secret) {
      throw aadError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    request.granted = true;
    const audience = scope.slice(0, -'/.default'.length);
    const claims: JwtClaims = {
      aud: audience,
      iss: `https://sts.windows.net/${tenant}/`,
      appid: clientId,
      azp: clientId,
      tid: tenant,
      roles: audience === GRAPH_AUDIENCE ? ['Channel.Create', 'Channel.ReadBasic.All'] : undefined,
      ver: '1.0',
    };
    const accessToken = signJwt(claims, { key: aadKey, expiresIn: 3600 });
    return ok({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
  }

  private tokenEndpointFor(tenant: string): string {
    return `${this.baseUrl}/${tenant}/oauth2/v2.0/token`;
  }

  // --- Bot Connector ---------------------------------------------------------------------------

  private connector(ex: Exchange): Reply {
    const { method, path } = ex;
    if (path === '/v3/conversations' && method === 'POST') return this.createConversation(parseJson(ex.body));

    const team = /^\/v3\/teams\/([^/]+)(?:\/(conversations|members)(?:\/([^/]+))?)?$/.exec(path);
    if (team && method === 'GET') return this.teamInfo(decodeURIComponent(team[1] ?? ''), team[2], team[3]);

    const m = /^\/v3\/conversations\/([^/]+)(?:\/(activities|members|pagedmembers)(?:\/([^/]+))?)?$/.exec(path);
    if (!m) throw connectorError(404, 'NotFound', `no connector route ${method} ${path}`);
    const conversationId = decodeURIComponent(m[1] ?? '');
    const collection = m[2];
    const itemId = m[3] === undefined ? undefined : decodeURIComponent(m[3]);

    if (collection === 'pagedmembers' && method === 'GET') return this.pagedMembers(ex.url);
    if (collection === 'members' && method === 'GET') return this.memberInfo(itemId);
    if (collection === 'activities') {
      if (method === 'POST') return ok({ id: this.store(conversationId, parseJson(ex.body), itemId).id }, 201);
      if (itemId !== undefined && method === 'PUT') return ok({ id: this.update(conversationId, itemId, parseJson(ex.body)).id });
      if (itemId !== undefined && method === 'DELETE') {
        this.find(conversationId, itemId).deleted = true;
        return ok(undefined);
      }
    }
    throw connectorError(405, 'MethodNotAllowed', `${method} ${path}`);
  }

  private createConversation(params: Json): Reply {
    const channelData = asRecord(params.channelData);
    const channel = asRecord(channelData.channel);
    const tenantId = typeof params.tenantId === 'string' ? params.tenantId : this.tenantId;
    const initial = params.activity === undefined ? undefined : asRecord(params.activity);

    if (typeof channel.id === 'string') {
      // A new thread in a channel: the conversation id names the root message.
      if (!initial) throw connectorError(400, 'BadArgument', 'A channel conversation needs an initial activity.');
      const rootId = newActivityId();
      const id = `${channel.id};messageid=${rootId}`;
      this.conversations.set(id, { id, conversationType: 'channel', isGroup: true, channelId: channel.id, memberIds: [], tenantId });
      this.sent.push(toSent(id, rootId, initial));
      return ok({ id, activityId: rootId }, 201);
    }

    const members = Array.isArray(params.members) ? params.members.map((x) => asRecord(x)) : [];
    const memberIds = members.map((x) => x.id).filter((x): x is string => typeof x === 'string');
    if (memberIds.length !== 1 || params.isGroup === true) {
      throw connectorError(400, 'BadArgument', 'Bots can only create 1:1 chats or channel threads.');
    }
    const existing = [...this.conversations.values()].find(
      (c) => c.conversationType === 'personal' && c.memberIds[0] === memberIds[0],
    );
    const conversation: FakeConversation = existing ?? {
      id: `a:1${randomUUID().replaceAll('-', '')}`,
      conversationType: 'personal',
      isGroup: false,
      memberIds,
      tenantId,
    };
    this.conversations.set(conversation.id, conversation);
    if (!initial) return ok({ id: conversation.id }, 201);
    const activityId = newActivityId();
    this.sent.push(toSent(conversation.id, activityId, initial));
    return ok({ id: conversation.id, activityId }, 201);
  }

  private store(conversationId: string, body: Json, replyToId: string | undefined): SentActivity {
    if (typeof body.type !== 'string') throw connectorError(400, 'BadSyntax', 'Activity type is required.');
    const sent = toSent(conversationId, newActivityId(), body, replyToId);
    this.sent.push(sent);
    return sent;
  }

  private update(conversationId: string, activityId: string, body: Json): SentActivity {
    const existing = this.find(conversationId, activityId);
    existing.body = body;
    existing.text = typeof body.text === 'string' ? body.text : undefined;
    existing.attachments = Array.isArray(body.attachments) ? body.attachments : undefined;
    this.updates.push({ conversationId, activityId, body });
    return existing;
  }

  private find(conversationId: string, activityId: string): SentActivity {
    const found = this.sent.find((a) => a.conversationId === conversationId && a.id === activityId && !a.deleted);
    if (!found) throw connectorError(404, 'ActivityNotFoundInConversation', `No activity ${activityId} in ${conversationId}.`);
    return found;
  }

  /** The roster is the whole fake tenant: every conversation and team has every member. */
  private memberInfo(userId: string | undefined): Reply {
    if (userId === undefined) return ok([...this.members.values()].map((member) => this.teamsAccount(member)));
    const member = [...this.members.values()].find((x) => x.id === userId || x.aadObjectId === userId);
    if (!member) throw connectorError(404, 'MemberNotFoundInConversation', 'The member could not be found in the conversation.');
    return ok(this.teamsAccount(member));
  }

  /** TeamsInfo.getPagedMembers / getPagedTeamMembers: `pageSize` members at a time, and an opaque token while more remain. */
  private pagedMembers(url: URL): Reply {
    const all = [...this.members.values()];
    const asked = Number(url.searchParams.get('pageSize') ?? this.roster.maxPageSize);
    const size = Math.max(1, Math.min(Number.isFinite(asked) ? asked : this.roster.maxPageSize, this.roster.maxPageSize));
    const token = url.searchParams.get('continuationToken');
    const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
    if (!Number.isInteger(start) || start < 0) throw connectorError(400, 'BadArgument', 'Invalid continuation token.');
    const end = start + size;
    return ok({
      members: all.slice(start, end).map((member) => this.teamsAccount(member)),
      ...(end < all.length ? { continuationToken: Buffer.from(`offset:${end}`).toString('base64url') } : {}),
    });
  }

  /** TeamsInfo.getTeamDetails / getTeamChannels / getTeamMember. */
  private teamInfo(teamThreadId: string, collection: string | undefined, itemId: string | undefined): Reply {
    const team = [...this.teams.values()].find((t) => t.id === teamThreadId);
    if (!team) throw connectorError(404, 'NotFound', `No team ${teamThreadId}.`);
    if (collection === 'members') return this.memberInfo(itemId === undefined ? undefined : decodeURIComponent(itemId));
    if (collection === 'conversations') {
      // Teams reports the General channel without a name.
      return ok({ conversations: team.channels.map((c) => ({ id: c.id, name: c.id === team.id ? undefined : c.displayName })) });
    }
    return ok({ id: team.id, name: team.name, aadGroupId: team.aadGroupId, channelCount: team.channels.length, memberCount: this.members.size });
  }

  private teamsAccount(member: FakeMember): Json {
    return {
      id: member.id,
      name: member.name,
      aadObjectId: member.aadObjectId,
      objectId: member.aadObjectId,
      userPrincipalName: member.userPrincipalName,
      email: member.email ?? member.userPrincipalName,
      givenName: member.givenName ?? member.name.split(' ')[0],
      surname: member.surname ?? member.name.split(' ').slice(1).join(' '),
      tenantId: this.tenantId,
      userRole: 'user',
    };
  }

  // --- Microsoft Graph -------------------------------------------------------------------------

  private graphApi(ex: Exchange): Reply {
    const m = /^\/graph\/v1\.0\/teams\/([^/]+)\/channels$/.exec(ex.path);
    if (!m) throw graphError(404, 'NotFound', `no Graph route ${ex.method} ${ex.path}`);
    const team = this.teams.get(decodeURIComponent(m[1] ?? ''));
    if (!team) throw graphError(404, 'NotFound', 'No team found with Group Id.');

    if (ex.method === 'GET') {
      return ok({
        '@odata.context': `${this.graphUrl}/$metadata#teams('${team.aadGroupId}')/channels`,
        value: team.channels.map((c) => this.graphChannel(team, c)),
      });
    }
    if (ex.method !== 'POST') throw graphError(405, 'MethodNotAllowed', `${ex.method} ${ex.path}`);
    if (this.graph.denyChannelCreation) {
      throw graphError(403, 'Forbidden', 'Missing role permissions on the request. API requires one of \'Channel.Create, Channel.Create.Group\'.');
    }
    const body = parseJson(ex.body);
    const displayName = typeof body.displayName === 'string' ? body.displayName : '';
    if (!displayName.trim()) throw graphError(400, 'BadRequest', 'Channel name cannot be empty.');
    if (displayName.length > 50) throw graphError(400, 'BadRequest', 'Channel name cannot be longer than 50 characters.');
    if (/[~#%&*{}+/\\:<>?|'".]/.test(displayName)) throw graphError(400, 'BadRequest', 'Channel name contains invalid characters.');
    if (team.channels.some((c) => c.displayName.toLowerCase() === displayName.toLowerCase())) {
      throw graphError(400, 'NameAlreadyExists', 'Channel name already existed, please use other name.');
    }
    const channel: FakeChannel = {
      id: threadId(),
      displayName,
      description: typeof body.description === 'string' ? body.description : undefined,
      membershipType: body.membershipType === 'private' || body.membershipType === 'shared' ? body.membershipType : 'standard',
    };
    team.channels.push(channel);
    return ok(this.graphChannel(team, channel), 201);
  }

  private graphChannel(team: FakeTeam, channel: FakeChannel): Json {
    return {
      id: channel.id,
      displayName: channel.displayName,
      description: channel.description ?? null,
      membershipType: channel.membershipType,
      createdDateTime: new Date().toISOString(),
      webUrl:
        `https://teams.microsoft.com/l/channel/${encodeURIComponent(channel.id)}/${encodeURIComponent(channel.displayName)}` +
        `?groupId=${team.aadGroupId}&tenantId=${this.tenantId}`,
    };
  }
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const ok = (body: unknown, status = 200): Reply => ({ status, body });

const graphError = (status: number, code: string, message: string): HttpError =>
  new HttpError(status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } });

function faultCode(status: number): string {
  if (status === 429) return 'Throttled';
  if (status === 412) return 'PreconditionFailed';
  if (status === 502) return 'BadGateway';
  if (status === 504) return 'GatewayTimeout';
  return 'ServiceError';
}

function toSent(conversationId: string, id: string, body: Json, replyToId?: string): SentActivity {
  return {
    id,
    conversationId,
    replyToId: replyToId ?? (typeof body.replyToId === 'string' ? body.replyToId : undefined),
    type: typeof body.type === 'string' ? body.type : 'message',
    text: typeof body.text === 'string' ? body.text : undefined,
    attachments: Array.isArray(body.attachments) ? body.attachments : undefined,
    body,
    deleted: false,
  };
}

function asRecord(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function parseJson(text: string): Json {
  try {
    return asRecord(JSON.parse(text));
  } catch {
    throw connectorError(400, 'BadSyntax', 'Request body is not JSON.');
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
