import { constants, createPublicKey, createSign, createVerify, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

/** An RSA signing key as the Bot Framework and Entra ID publish them: a private key plus the `kid` tokens name. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

// Generated once per test worker: botbuilder caches OpenID metadata per URL and outbound tokens per app id
// for the whole process, so keys that survive across FakeTeams instances keep those caches honest.
/** Signs the channel's tokens to the bot (what login.botframework.com publishes). */
export const channelKey: SigningKey = generateSigningKey('fake-botframework-channel');
/** Signs the access tokens the fake Entra ID hands to the bot (checked by the fake connector and Graph). */
export const aadKey: SigningKey = generateSigningKey('fake-entra-id');
/** A key nobody publishes: for forged tokens. */
export const attackerKey: SigningKey = generateSigningKey('attacker');

export type JwtClaims = Record<string, unknown>;

export interface SignOptions {
  key: SigningKey;
  /** Defaults to `key.kid`; set it to forge a token that names a published key. */
  kid?: string;
  /** Seconds from now; negative for an already expired token. Defaults to one hour. */
  expiresIn?: number;
  /** Seconds from now before which the token is not valid. Defaults to five minutes ago. */
  notBefore?: number;
  header?: Record<string, unknown>;
}

const base64url = (input: string | Buffer): string => Buffer.from(input).toString('base64url');

/** RS256 JWT, the algorithm the Bot Framework channel and Entra ID sign with. */
export function signJwt(claims: JwtClaims, options: SignOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? options.key.kid, ...options.header };
  const payload = {
    iat: now,
    nbf: now + (options.notBefore ?? -300),
    exp: now + (options.expiresIn ?? 3600),
    ...claims,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(options.key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: JwtClaims;
}

/** Verifies an RS256 (or PS256, as MSAL signs with SHA-256 certificate thumbprints) JWT and its lifetime; undefined when anything is off. */
export function verifyJwt(token: string, publicKey: KeyObject | string): DecodedJwt | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const decoded = decodeJwt(token);
  const alg = decoded?.header.alg;
  if (!decoded || (alg !== 'RS256' && alg !== 'PS256')) return undefined;
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const verifyKey =
    alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : key;
  const valid = createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(verifyKey, Buffer.from(signature, 'base64url'));
  if (!valid) return undefined;
  const now = Math.floor(Date.now() / 1000);
  const { exp, nbf } = decoded.claims;
  if (typeof exp === 'number' && exp < now) return undefined;
  if (typeof nbf === 'number' && nbf > now + 60) return undefined;
  return decoded;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const [header, payload] = token.split('.');
  if (!header || !payload) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
      claims: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims,
    };
  } catch {
    return undefined;
  }
}

export interface Jwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  n: string;
  e: string;
  /** Channel ids allowed to use this key; botbuilder rejects a token whose activity channelId is not listed. */
  endorsements?: string[];
}

export function publicJwk(key: SigningKey, endorsements?: string[]): Jwk {
  const jwk = key.publicKey.export({ format: 'jwk' });
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error('not an RSA key');
  return { kty: 'RSA', use: 'sig', kid: key.kid, n: jwk.n, e: jwk.e, ...(endorsements ? { endorsements } : {}) };
}

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface ChannelTokenOptions {
  appId: string;
  serviceUrl: string;
  issuer?: string;
  audience?: string;
}

/**
 * Claims of the token the Bot Framework channel sends with every activity. botbuilder 4.23
 * (ChannelValidation) checks: `iss` equals the configured issuer, signature by a key from the
 * OpenID metadata (whose endorsements include the activity's channelId), `exp`/`nbf` with 5 minutes
 * of clock tolerance, `aud` equals the bot's app id, and `serviceurl` equals the activity's serviceUrl.
 */
export function channelTokenClaims(options: ChannelTokenOptions): JwtClaims {
  return {
    iss: options.issuer ?? BOT_FRAMEWORK_ISSUER,
    aud: options.audience ?? options.appId,
    serviceurl: options.serviceUrl,
  };
}
