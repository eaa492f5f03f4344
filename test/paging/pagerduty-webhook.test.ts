import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPagerDutyWebhook, verifyPagerDutySignature } from '../../src/paging/providers/pagerduty-webhook.js';
import { oncallConfig } from './helpers.js';

const SECRET = 'whsec-current-7f3a9c';
const OLD_SECRET = 'whsec-previous-2b81d0';

/** The raw bytes PagerDuty would send; signatures are over these exact bytes. */
const delivery = (name: string): string =>
  readFileSync(new URL(`./fixtures/pagerduty/${name}.json`, import.meta.url), 'utf8');

const sign = (body: string, secret: string): string => `v1=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

const config = (() => {
  const base = oncallConfig({});
  // Maria's PagerDuty id lets an acknowledgement be credited to her.
  return { ...base, users: { ...base.users, maria: { name: 'Maria Okafor', pagerduty: 'PLH1HKV' } } };
})();

describe('PagerDuty webhook signatures', () => {
  it('a delivery signed with our secret is accepted', () => {
    const body = delivery('incident.acknowledged');
    expect(verifyPagerDutySignature(body, sign(body, SECRET), SECRET)).toBe(true);
  });

  it('a delivery without a signature is refused as unsigned', () => {
    const body = delivery('incident.acknowledged');
    expect(() => readPagerDutyWebhook({ rawBody: body, signature: undefined, secrets: SECRET })).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_UNSIGNED' }),
    );
    expect(() => readPagerDutyWebhook({ rawBody: body, signature: '', secrets: SECRET })).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_UNSIGNED' }),
    );
  });

  it('a delivery signed with someone else’s secret is refused as forged', () => {
    const body = delivery('incident.acknowledged');
    expect(() => readPagerDutyWebhook({ rawBody: body, signature: sign(body, 'guessed'), secrets: SECRET })).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_FORGED' }),
    );
  });

  it('a body changed after signing is refused as forged', () => {
    const body = delivery('incident.acknowledged');
    const tampered = body.replace('sitrep-inc-42', 'sitrep-inc-43');
    expect(() => readPagerDutyWebhook({ rawBody: tampered, signature: sign(body, SECRET), secrets: SECRET })).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_FORGED' }),
    );
  });

  it('while PagerDuty rotates its secret, one matching signature among several is enough', () => {
    const body = delivery('incident.acknowledged');
    const header = `${sign(body, OLD_SECRET)},${sign(body, SECRET)}`;
    expect(verifyPagerDutySignature(body, header, SECRET)).toBe(true);
    expect(verifyPagerDutySignature(body, header, OLD_SECRET)).toBe(true);
    expect(verifyPagerDutySignature(body, header, 'another')).toBe(false);
  });

  it('while we rotate our secret, either configured secret verifies', () => {
    const body = delivery('incident.acknowledged');
    expect(verifyPagerDutySignature(body, sign(body, OLD_SECRET), [SECRET, OLD_SECRET])).toBe(true);
    expect(verifyPagerDutySignature(body, sign(body, SECRET), [SECRET, OLD_SECRET])).toBe(true);
  });

  it('signatures of other versions, or not hex, never match', () => {
    const body = delivery('incident.acknowledged');
    const digest = sign(body, SECRET).slice(3);
    expect(verifyPagerDutySignature(body, `v0=${digest}`, SECRET)).toBe(false);
    expect(verifyPagerDutySignature(body, 'v1=not-hex', SECRET)).toBe(false);
    expect(verifyPagerDutySignature(body, `v1=${digest.slice(0, 10)}`, SECRET)).toBe(false);
  });

  it('verifies the raw bytes, including non-ASCII text', () => {
    const body = delivery('incident.annotated');
    expect(verifyPagerDutySignature(Buffer.from(body, 'utf8'), sign(body, SECRET), SECRET)).toBe(true);
  });
});

describe('reading what happened in PagerDuty', () => {
  const read = (name: string) => {
    const body = delivery(name);
    return readPagerDutyWebhook({ rawBody: body, signature: sign(body, SECRET), secrets: SECRET, config });
  };

  it('an acknowledgement names our incident and the person, mapped to their oncall.yaml id', () => {
    expect(read('incident.acknowledged')).toEqual({
      kind: 'incident',
      eventId: '01DEN4HPBQAAAG05V5QQYBRZMF',
      eventType: 'incident.acknowledged',
      occurredAt: new Date('2024-03-06T18:45:22.169Z'),
      incident: {
        pagerdutyId: 'PGR0VU2',
        number: 2,
        title: '[SEV1] INC-42: Directory search returns 502',
        url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
        dedupKey: 'sitrep-inc-42',
      },
      incidentId: 'inc-42',
      actor: {
        pagerdutyId: 'PLH1HKV',
        name: 'Maria Okafor',
        url: 'https://acme.pagerduty.com/users/PLH1HKV',
        type: 'user_reference',
        userId: 'maria',
      },
    });
  });

  it('a resolution by someone sitrep does not know still carries their PagerDuty name', () => {
    const event = read('incident.resolved');
    expect(event).toMatchObject({ kind: 'incident', eventType: 'incident.resolved', incidentId: 'inc-42', actor: { name: 'Jonas Weber' } });
    expect(event).not.toHaveProperty('actor.userId');
  });

  it('an incident sitrep did not raise has no sitrep incident id', () => {
    const event = read('incident.triggered.foreign');
    expect(event).toMatchObject({ kind: 'incident', eventType: 'incident.triggered', incident: { dedupKey: 'd3640fbd41094207a1c11e58e46b1662' } });
    expect(event).not.toHaveProperty('incidentId');
  });

  it('a note carries its text and the incident it belongs to', () => {
    expect(read('incident.annotated')).toMatchObject({
      kind: 'incident',
      eventType: 'incident.annotated',
      incident: { pagerdutyId: 'PGR0VU2' },
      text: 'Rolling back the 14:02 deploy — ünïcode too',
      actor: { userId: 'maria' },
    });
  });

  it('events about other resources are ignored, not failed, so PagerDuty does not retry them', () => {
    expect(read('service.updated')).toEqual({ kind: 'ignored', eventType: 'service.updated', reason: 'not an incident event sitrep tracks' });
  });

  it('a signed body that is not a v3 event is malformed', () => {
    for (const body of ['{"messages":[]}', 'not json']) {
      expect(() => readPagerDutyWebhook({ rawBody: body, signature: sign(body, SECRET), secrets: SECRET })).toThrow(
        expect.objectContaining({ code: 'WEBHOOK_MALFORMED' }),
      );
    }
  });
});
