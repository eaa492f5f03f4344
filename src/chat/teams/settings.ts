import { readFileSync } from 'node:fs';
import type { Config } from '../../config.js';
import { teamsAuthConfigSchema, type TeamsAuthConfig, type TeamsEndpoints } from './auth.js';

/** Teams' global Bot Connector endpoint: where proactive messages go before any activity named a regional one. */
export const GLOBAL_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** Everything the Teams adapter needs, resolved from the environment once at start-up. */
export interface TeamsSettings {
  auth: TeamsAuthConfig;
  /** `thread`: each incident is a new thread in `incidentsChannelId`; `channel`: a new channel through Microsoft Graph. */
  roomMode: 'thread' | 'channel';
  /** The channel (`19:…@thread.tacv2`) whose threads are incident rooms; the fallback when Graph refuses a channel. */
  incidentsChannelId?: string;
  /** The team's Microsoft 365 group id: Graph names teams by it. */
  teamId?: string;
  graphUrl: string;
  defaultServiceUrl: string;
}

type TeamsVariables = Pick<
  Config,
  | 'teams'
  | 'TEAMS_APP_PASSWORD'
  | 'TEAMS_CERT_THUMBPRINT'
  | 'TEAMS_CERT_KEY_FILE'
  | 'TEAMS_MANAGED_IDENTITY'
  | 'TEAMS_MANAGED_IDENTITY_CLIENT_ID'
  | 'TEAMS_ROOM_MODE'
  | 'TEAMS_INCIDENTS_CHANNEL_ID'
  | 'TEAMS_TEAM_ID'
  | 'TEAMS_GRAPH_URL'
>;

/**
 * Builds the Teams settings from the parsed configuration. `endpoints` points the token checks at
 * other clouds or, in tests, at the fakes; production leaves it unset and gets the public cloud.
 */
export function teamsSettingsFromConfig(config: TeamsVariables, endpoints?: TeamsEndpoints): TeamsSettings {
  if (!config.teams) throw new Error('Teams is not configured: set TEAMS_APP_ID and TEAMS_TENANT_ID.');
  const auth = teamsAuthConfigSchema.parse({
    appId: config.teams.appId,
    tenantId: config.teams.tenantId,
    auth: authOf(config),
    endpoints,
  });
  return {
    auth,
    roomMode: config.TEAMS_ROOM_MODE,
    incidentsChannelId: config.TEAMS_INCIDENTS_CHANNEL_ID,
    teamId: config.TEAMS_TEAM_ID,
    graphUrl: config.TEAMS_GRAPH_URL,
    defaultServiceUrl: GLOBAL_SERVICE_URL,
  };
}

// A certificate or a managed identity beats a shared secret when several are configured.
function authOf(config: TeamsVariables): TeamsAuthConfig['auth'] {
  if (config.TEAMS_MANAGED_IDENTITY) return { type: 'managedIdentity', clientId: config.TEAMS_MANAGED_IDENTITY_CLIENT_ID };
  if (config.TEAMS_CERT_THUMBPRINT && config.TEAMS_CERT_KEY_FILE) {
    return { type: 'certificate', thumbprint: config.TEAMS_CERT_THUMBPRINT, privateKeyPem: readFileSync(config.TEAMS_CERT_KEY_FILE, 'utf8') };
  }
  if (config.TEAMS_APP_PASSWORD) return { type: 'secret', password: config.TEAMS_APP_PASSWORD };
  throw new Error('Teams needs TEAMS_APP_PASSWORD, TEAMS_CERT_THUMBPRINT + TEAMS_CERT_KEY_FILE, or TEAMS_MANAGED_IDENTITY=true.');
}
