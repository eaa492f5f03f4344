import { BlockList, isIP } from 'node:net';

/**
 * WEB_AUTH=header: an authenticating proxy (oauth2-proxy, an ingress with SSO) puts the person's e-mail
 * in a header. The header is believed only from the configured proxy addresses; from anyone else it
 * is ignored, or a client could name itself whoever it likes.
 */
export class TrustedProxies {
  private readonly list = new BlockList();

  constructor(entries: string[]) {
    for (const entry of entries) {
      const [address = '', bits] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(bits), type);
    }
  }

  trusts(remoteAddress: string | undefined): boolean {
    if (!remoteAddress) return false;
    // An IPv4 peer on a dual-stack socket shows as ::ffff:10.0.0.1.
    const v4 = remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
    return isIP(v4) === 4 ? this.list.check(v4, 'ipv4') : this.list.check(remoteAddress, 'ipv6');
  }
}
