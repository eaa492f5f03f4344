import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../src/alerts/index.js';

const TOKEN = 'e3b0c44298fc1c149afbf4c8996fb924';
const SECRET = 'hmac-secret-0123456789abcdef';
const body = Buffer.from('{"title":"Checkout 5xx above 5%","severity":"SEV1"}');
const sign = (raw: Buffer, secret = SECRET): string => createHmac('sha256', secret).update(raw).digest('hex');

describe('webhook authentication', () => {
  it('accepts the configured bearer token, with any case of header name and scheme', () => {
    expect(authenticate({ bearerToken: TOKEN }, { authorization: `Bearer ${TOKEN}` }, body)).toEqual({ ok: true });
    expect(authenticate({ bearerToken: TOKEN }, { Authorization: `bearer ${TOKEN}` }, body)).toEqual({ ok: true });
  });

  it('refuses a wrong bearer token, including one that is a prefix of the right one', () => {
    for (const given of ['wrong-token-wrong-token-wrong-tok', TOKEN.slice(0, -1), `${TOKEN}x`]) {
      const result = authenticate({ bearerToken: TOKEN }, { authorization: `Bearer ${given}` }, body);
      expect(result).toEqual({ ok: false, reason: 'the bearer token does not match the one configured for this source' });
    }
  });

  it('refuses a request without an Authorization header or with another scheme', () => {
    expect(authenticate({ bearerToken: TOKEN }, {}, body)).toMatchObject({ ok: false, reason: expect.stringMatching(/^missing Authorization header/) as string });
    expect(authenticate({ bearerToken: TOKEN }, { authorization: `Basic ${TOKEN}` }, body)).toMatchObject({
      ok: false,
      reason: 'the Authorization header must be "Bearer <token>"',
    });
  });

  it('accepts an HMAC-SHA256 of the raw body as sha256=<hex> or bare hex, in the configured header', () => {
    const config = { hmacSecret: SECRET, signatureHeader: 'X-Hub-Signature-256' };
    expect(authenticate(config, { 'x-hub-signature-256': `sha256=${sign(body)}` }, body)).toEqual({ ok: true });
    expect(authenticate(config, { 'X-Hub-Signature-256': sign(body).toUpperCase() }, body)).toEqual({ ok: true });
    expect(authenticate({ hmacSecret: SECRET }, { 'x-sitrep-signature': [`sha256=${sign(body)}`] }, body)).toEqual({ ok: true });
  });

  it('refuses a forged signature: other secret, or a body changed after signing', () => {
    const config = { hmacSecret: SECRET };
    const tampered = Buffer.from(body.toString().replace('SEV1', 'SEV4'));
    for (const [signature, raw] of [
      [sign(body, 'another-secret-0123456789'), body],
      [sign(body), tampered],
    ] as const) {
      expect(authenticate(config, { 'x-sitrep-signature': `sha256=${signature}` }, raw)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^the x-sitrep-signature signature does not match the body/) as string,
      });
    }
  });

  it('refuses a missing or malformed signature header', () => {
    expect(authenticate({ hmacSecret: SECRET }, {}, body)).toMatchObject({ ok: false, reason: expect.stringMatching(/^missing x-sitrep-signature header/) as string });
    for (const bad of ['sha256=abc', 'sha1=' + sign(body).slice(0, 40), `sha256=${sign(body).slice(0, -2)}zz`]) {
      expect(authenticate({ hmacSecret: SECRET }, { 'x-sitrep-signature': bad }, body)).toMatchObject({
        ok: false,
        reason: 'the x-sitrep-signature header must be "sha256=<64 hex characters>" or the 64 hex characters alone',
      });
    }
  });

  it('requires both checks when both a token and a secret are configured', () => {
    const config = { bearerToken: TOKEN, hmacSecret: SECRET };
    const headers = { authorization: `Bearer ${TOKEN}`, 'x-sitrep-signature': sign(body) };
    expect(authenticate(config, headers, body)).toEqual({ ok: true });
    expect(authenticate(config, { authorization: headers.authorization }, body).ok).toBe(false);
    expect(authenticate(config, { 'x-sitrep-signature': headers['x-sitrep-signature'] }, body).ok).toBe(false);
  });

  it('refuses every request to a source with no authentication configured', () => {
    for (const config of [undefined, {}, { allowUnauthenticated: false }]) {
      expect(authenticate(config, { authorization: `Bearer ${TOKEN}` }, body)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/has no bearerToken or hmacSecret.*allowUnauthenticated: true/) as string,
      });
    }
  });

  it('accepts unauthenticated requests only when the source explicitly allows them', () => {
    expect(authenticate({ allowUnauthenticated: true }, {}, body)).toEqual({ ok: true });
    // Opting out never weakens a configured token.
    expect(authenticate({ allowUnauthenticated: true, bearerToken: TOKEN }, {}, body).ok).toBe(false);
  });
});
