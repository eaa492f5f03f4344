import { describe, expect, it } from 'vitest';
import { capturePickCard, declareFormCard, declareLauncherCard, incidentCard, pageCard, resolveOfferCard, type AdaptiveCard } from '../../../src/chat/teams/cards.js';
import { helpCard, welcomeCard } from '../../../src/chat/teams/help.js';
import { postmortemCard } from '../../../src/chat/teams/postmortem-card.js';
import type { Actor } from '../../../src/domain/actor.js';
import type { Incident, PageState } from '../../../src/domain/incident.js';
import { DEFAULT_SEVERITY_LABELS } from '../../../src/domain/severity.js';
import { adaptiveCardProblems } from '../../helpers/adaptive-card-schema.js';
import { makeIncident } from '../../helpers/incidents.js';

const maria: Actor = { platform: 'teams', id: 'a3c1b2d4-0e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Maria Lopez' };
const kenji: Actor = { platform: 'teams', id: '6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b', name: 'Kenji Sato' };

const page: PageState = {
  id: 'p1',
  team: 'checkout',
  level: 0,
  pass: 0,
  targets: [kenji],
  provider: 'chat',
  status: 'pending',
  pagedAt: '2026-11-24T03:01:00.000Z',
  nextEscalationAt: '2026-11-24T03:31:00.000Z',
  message: 'please look *now*',
  paged: [kenji],
  declined: [],
  unreachable: [],
  handles: [],
};

const busy: Incident = makeIncident(42, {
  status: 'investigating',
  roles: { lead: maria, comms: kenji },
  declaredBy: maria,
  description: 'EU users get 500s',
  affectedServices: ['checkout'],
  links: [{ label: 'dashboard', url: 'https://grafana.example.com/d/checkout' }],
  runbooks: [{ service: 'payments', label: 'DB failover [v2]', url: 'https://wiki.example.com/runbooks/payments' }],
  triage: { traceId: 'abc123', outcome: 'ok', summary: 'payments-db times out', team: 'payments', traceUrl: 'https://jaeger.example.com/trace/abc123', alternatives: [{ service: 'payments', team: 'payments', confidence: 0.8 }, { service: 'gateway', confidence: 0.2 }] },
  pages: [page],
});

const view = (incident: Incident) => ({ incident, labels: DEFAULT_SEVERITY_LABELS, timeZone: 'Europe/Madrid' });
const words = { roomMode: 'thread' as const, incidentsChannelUrl: 'https://teams.microsoft.com/l/channel/19%3Aabc%40thread.tacv2/incidents' };

/** Every card sitrep sends in Teams, in the states that change its shape. */
const cards: Array<[string, AdaptiveCard]> = [
  ['incident card, declared', incidentCard(view(makeIncident(1, { roles: { lead: maria }, declaredBy: maria })))],
  ['incident card, investigating with triage, pages and links', incidentCard(view(busy))],
  ['incident card, resolved', incidentCard(view({ ...busy, status: 'resolved', resolveSummary: 'rolled back' }))],
  ['incident card, closed', incidentCard(view({ ...busy, status: 'closed' }))],
  ['page card, waiting for an answer', pageCard({ incident: { ...busy, room: { platform: 'teams', id: 'r', url: 'https://teams.microsoft.com/l/message/x' } }, pageId: 'p1', level: 0, team: 'checkout', message: 'please look' })],
  ['page card, acknowledged', pageCard({ incident: busy, pageId: 'p1', level: 1, outcome: { kind: 'acknowledged', by: kenji, at: '2026-11-24T03:05:00.000Z' } })],
  ['resolve offer', resolveOfferCard(busy, 'All alerts of INC-42 resolved.')],
  ['capture pick', capturePickCard([busy, makeIncident(43)], 'token')],
  ['declare launcher', declareLauncherCard()],
  ['declare form with errors', declareFormCard(DEFAULT_SEVERITY_LABELS, 'SEV3', { values: { title: 'x', traceId: 'zz' }, errors: { traceId: 'not hex' } })],
  ['help card', helpCard(words, 'Unknown subcommand "stauts".')],
  ['help card, channel mode', helpCard({ roomMode: 'channel' })],
  ['welcome card', welcomeCard(words)],
  [
    'postmortem card',
    postmortemCard({
      incident: busy,
      revision: 2,
      by: maria,
      metrics: [{ name: 'Time to resolve', value: '1 h' }, { name: 'Time to detect' }],
      origin: { summary: 'payments-db times out', traceUrl: 'https://jaeger.example.com/trace/abc123' },
      actionItems: [{ text: 'add a canary', owner: 'Kenji Sato' }],
      flagged: [{ phrase: 'human error', source: 'note', suggestion: 'describe the system condition' }],
      links: [{ label: 'Open in Confluence', url: 'https://acme.atlassian.net/wiki/x' }],
      exportCommand: 'npx sitrep postmortem 42',
    }),
  ],
];

describe('every Adaptive Card sitrep sends in Teams', () => {
  it.each(cards)('%s is valid against the published schema for the version it declares', (_name, card) => {
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it('the checker catches what Teams would not render: a 1.6 typeahead on a card declaring 1.5, and an unknown property', () => {
    const open = incidentCard(view(busy));
    expect(open.version).toBe('1.6');
    expect(adaptiveCardProblems({ ...open, version: '1.5' }).some((p) => p.includes('choices.data needs 1.6'))).toBe(true);
    expect(adaptiveCardProblems({ ...declareLauncherCard(), body: [{ type: 'TextBlock', text: 'x', colour: 'red' }] })).not.toEqual([]);
  });

  it('the page card quotes the message in card markdown, not with a ">" that Teams shows literally', () => {
    const json = JSON.stringify(pageCard({ incident: busy, pageId: 'p1', level: 0, message: 'please look *now*' }));
    expect(json).toContain('_“please look now”_');
    expect(json).not.toContain('> please');
  });
});

describe('runbooks on the Teams card', () => {
  it('names each runbook with its service, brackets in a title kept out of the Markdown link', () => {
    const text = JSON.stringify(incidentCard(view(busy)));
    expect(text).toContain('**Runbooks:** [payments: DB failover  v2 ](https://wiki.example.com/runbooks/payments)');
  });
});
