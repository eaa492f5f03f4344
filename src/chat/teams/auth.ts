import { z } from 'zod';
import { ConfidentialClientApplication, type Configuration as MsalConfiguration } from '@azure/msal-node';
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  AuthenticationConstants,
  JwtTokenProviderFactory,
  ManagedIdentityServiceClientCredentialsFactory,
  MsalServiceClientCredentialsFactory,
  type BotFrameworkAuthentication,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';

/**
 * How the bot proves who it is, in both directions:
 * - inbound: every activity carries a JWT the Bot Framework channel signed; we check it against the
 *   channel's OpenID metadata (signature, issuer, audience = our app id, serviceurl claim).
 * - outbound: to reply we get a client-credentials token from our Entra ID tenant for the connector.
 * Only single-tenant and managed-identity registrations: Azure no longer creates multi-tenant bots.
 *
 * Service URLs: botbuilder 4.23 keeps no trusted-host list (AppCredentials.trustServiceUrl and
 * isTrustedServiceUrl are no-ops that trust everything), and its connector client allows plain http
 * when the serviceUrl is http. What ties a serviceUrl to the channel is the token's `serviceurl`
 * claim, which must equal the activity's serviceUrl. Proactive sends go wherever the stored
 * conversation reference points, so only store references taken from authenticated activities.
 */

const endpointsSchema = z.object({
  /** Inbound: the channel's OpenID metadata (its `jwks_uri` lists the signing keys). */
  openIdMetadataUrl: z.url().optional(),
  /** Inbound: the `iss` we accept on the channel's tokens. */
  tokenIssuer: z.string().min(1).optional(),
  /** Outbound: the Entra ID authority including the tenant, e.g. https://login.microsoftonline.us/<tenant>. */
  loginUrl: z.url().optional(),
  /** Outbound: the audience of our token, i.e. the connector service. */
  oauthScope: z.string().min(1).optional(),
  /**
   * Outbound: pin the authority's token endpoint instead of discovering it. MSAL then makes no
   * discovery call at all (private clouds, and the loopback fakes in tests — MSAL insists on https
   * authorities, but the pinned token endpoint may be plain http).
   */
  tokenEndpoint: z.url().optional(),
  /** Outbound: false trusts `loginUrl`'s host without asking Microsoft's instance discovery. */
  validateAuthority: z.boolean().optional(),
});

export const teamsAuthConfigSchema = z.object({
  appId: z.string().min(1),
  tenantId: z.string().min(1),
  auth: z.discriminatedUnion('type', [
    z.object({ type: z.literal('secret'), password: z.string().min(1) }),
    z.object({
      type: z.literal('certificate'),
      /** Hex thumbprint: SHA-1 (40 digits, what the portal shows) or SHA-256 (64 digits). */
      thumbprint: z.string().regex(/^[0-9a-fA-F:]+$/),
      privateKeyPem: z.string().min(1),
      /** Public certificate chain (PEM), for subject-name/issuer authentication. */
      x5c: z.string().optional(),
    }),
    z.object({
      type: z.literal('managedIdentity'),
      /** The user-assigned identity's client id; it is the bot's app id, so it defaults to (and must equal) `appId`. */
      clientId: z.string().optional(),
    }),
  ]),
  endpoints: endpointsSchema.optional(),
});

export type TeamsAuthConfig = z.infer<typeof teamsAuthConfigSchema>;
export type TeamsEndpoints = z.infer<typeof endpointsSchema>;

/** The public-cloud Bot Framework values botbuilder itself defaults to. */
export const PUBLIC_CLOUD = {
  openIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  tokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  loginUrlPrefix: AuthenticationConstants.ToChannelFromBotLoginUrlPrefix,
  oauthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  oauthUrl: AuthenticationConstants.OAuthUrl,
  emulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
} as const;

export class TeamsAuthConfigError extends Error {
  readonly code = 'TEAMS_AUTH_CONFIG';
}

export interface ResolvedTeamsEndpoints {
  openIdMetadataUrl: string;
  tokenIssuer: string;
  loginUrl: string;
  oauthScope: string;
  tokenEndpoint?: string;
  validateAuthority: boolean;
}

export function resolveTeamsEndpoints(config: TeamsAuthConfig): ResolvedTeamsEndpoints {
  const endpoints = config.endpoints ?? {};
  return {
    openIdMetadataUrl: endpoints.openIdMetadataUrl ?? PUBLIC_CLOUD.openIdMetadataUrl,
    tokenIssuer: endpoints.tokenIssuer ?? PUBLIC_CLOUD.tokenIssuer,
    loginUrl: endpoints.loginUrl ?? `${PUBLIC_CLOUD.loginUrlPrefix}${config.tenantId}`,
    oauthScope: endpoints.oauthScope ?? PUBLIC_CLOUD.oauthScope,
    tokenEndpoint: endpoints.tokenEndpoint,
    validateAuthority: endpoints.validateAuthority ?? true,
  };
}

/** The botbuilder authentication for a single-tenant (or managed-identity) Teams bot. Validation is always on. */
export function createTeamsAuthentication(config: TeamsAuthConfig): BotFrameworkAuthentication {
  const endpoints = resolveTeamsEndpoints(config);
  // Every endpoint is passed explicitly: as soon as one is set, botbuilder stops filling in the
  // public-cloud defaults for the others (BotFrameworkAuthenticationFactory's "parameterized" branch).
  return new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: config.appId,
      MicrosoftAppTenantId: config.tenantId,
      ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: endpoints.tokenIssuer,
      ToChannelFromBotLoginUrl: endpoints.loginUrl,
      ToChannelFromBotOAuthScope: endpoints.oauthScope,
      ValidateAuthority: endpoints.validateAuthority,
      OAuthUrl: PUBLIC_CLOUD.oauthUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: PUBLIC_CLOUD.emulatorOpenIdMetadataUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
    },
    createCredentialsFactory(config, endpoints),
  );
}

/**
 * Outbound credentials. We build MSAL ourselves rather than let botbuilder do it from
 * `MicrosoftAppPassword`/`CertificateThumbprint`: botbuilder's own ConfidentialClientApplication takes
 * no MSAL options, so its authority can only be a discoverable https host. The production result is
 * the same (authority https://login.microsoftonline.com/<tenant>, scope https://api.botframework.com/.default).
 */
export function createCredentialsFactory(
  config: TeamsAuthConfig,
  endpoints: ResolvedTeamsEndpoints = resolveTeamsEndpoints(config),
): ServiceClientCredentialsFactory {
  const { auth } = config;
  if (auth.type === 'managedIdentity') {
    if (auth.clientId && auth.clientId !== config.appId) {
      throw new TeamsAuthConfigError(
        'The Teams managed identity client id must equal the bot app id: an Azure Bot of type ' +
          "UserAssignedMSI uses the identity's client id as its app id. Set the app id to the identity's client id.",
      );
    }
    return new ManagedIdentityServiceClientCredentialsFactory(config.appId, new JwtTokenProviderFactory());
  }
  const msal = new ConfidentialClientApplication(msalConfiguration(config, endpoints));
  // We import msal-node's ESM build, botbuilder requires its CJS build: same class, declared twice.
  return new MsalServiceClientCredentialsFactory(config.appId, msal as unknown as BotbuilderMsalClient);
}

type BotbuilderMsalClient = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];

export function msalConfiguration(config: TeamsAuthConfig, endpoints: ResolvedTeamsEndpoints): MsalConfiguration {
  const authority = endpoints.loginUrl.replace(/\/+$/, '');
  const host = new URL(authority).host;
  const trustHost = endpoints.tokenEndpoint !== undefined || !endpoints.validateAuthority;
  const auth: MsalConfiguration['auth'] = {
    clientId: config.appId,
    authority,
    ...(trustHost ? { knownAuthorities: [host] } : {}),
    ...(endpoints.tokenEndpoint
      ? {
          authorityMetadata: JSON.stringify({
            token_endpoint: endpoints.tokenEndpoint,
            authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
            issuer: `${authority}/v2.0`,
            jwks_uri: `${authority}/discovery/v2.0/keys`,
          }),
        }
      : {}),
  };
  if (config.auth.type === 'secret') return { auth: { ...auth, clientSecret: config.auth.password } };
  if (config.auth.type === 'certificate') {
    const thumbprint = config.auth.thumbprint.replaceAll(':', '').toUpperCase();
    return {
      auth: {
        ...auth,
        clientCertificate: {
          ...(thumbprint.length === 64 ? { thumbprintSha256: thumbprint } : { thumbprint }),
          privateKey: config.auth.privateKeyPem,
          ...(config.auth.x5c ? { x5c: config.auth.x5c } : {}),
        },
      },
    };
  }
  throw new TeamsAuthConfigError('Managed identity does not use MSAL client credentials.');
}
