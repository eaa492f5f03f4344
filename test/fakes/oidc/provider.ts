import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface OidcPeople {
  [login: string]: { email: string; name: string; emailVerified?: boolean };
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on loopback, with its development login and consent
 * pages: any password signs in the login named in `people`. Authorization code + PKCE, like production IdPs.
 */
export class FakeOidcProvider {
  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  static async start(options: { clientId: string; clientSecret: string; redirectUri: string; people: OidcPeople }): Promise<FakeOidcProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: options.clientId, client_secret: options.clientSecret, redirect_uris: [options.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true } },
      cookies: { keys: ['fake-oidc-cookie-key'] },
      // ID tokens carry the claims, as Slack, Entra and Google send them.
      conformIdTokenClaims: false,
      async findAccount(_ctx, login) {
        const person = options.people[login];
        if (!person) return undefined;
        return { accountId: login, claims: async () => ({ sub: login, email: person.email, email_verified: person.emailVerified ?? true, name: person.name }) };
      },
    });
    server.on('request', provider.callback());
    return new FakeOidcProvider(server, issuer);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
