import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_LABELS } from '../../src/domain/severity.js';
import { renderMarkdown } from '../../src/postmortem/render.js';
import { loadTemplate } from '../../src/postmortem/template.js';
import { nightIncident } from './helpers.js';

const render = (overrides: Parameters<typeof nightIncident>[0]) =>
  renderMarkdown({ ...nightIncident(overrides), severityLabels: DEFAULT_SEVERITY_LABELS, timeZone: 'UTC', generatedAt: '2026-11-24T04:00:00.000Z' }, loadTemplate(undefined));

describe('the postmortem on changes and the checklist', () => {
  it('lists the changes of the hour before the incident, closest first, with their links', () => {
    const { incident } = nightIncident();
    const before = (min: number) => new Date(Date.parse(incident.declaredAt) - min * 60_000).toISOString();
    const md = render({
      changes: [
        { changeId: 'a', service: 'payments', kind: 'deploy', version: 'v2.3.1', by: 'maria', startedAt: before(12), phases: [], source: 'github', url: 'https://github.com/acme/payments/deployments' },
        { changeId: 'b', service: 'checkout', kind: 'flag', version: 'new-cart=on', startedAt: before(40), phases: [], source: 'generic' },
      ],
    });
    const section = md.split('## Changes before the incident')[1]!.split('\n## ')[0]!;
    expect(section).toContain('2 changes to the suspected origin');
    expect(section).toContain('- payments: deploy v2.3.1 by maria, 12 min before the incident — [link](https://github.com/acme/payments/deployments)');
    expect(section.indexOf('payments: deploy')).toBeLessThan(section.indexOf('checkout: flag'));
  });

  it('says when no change was recorded', () => {
    expect(render({ changes: [] })).toMatch(/No change events to checkout, payments were recorded in the hour before the incident/);
  });

  it('lists who ticked each checklist item and what was left unticked', () => {
    const md = render({
      checklist: [
        { id: 'mitigate', text: 'Apply a mitigation', doneBy: { platform: 'slack', id: 'U_BOB', name: 'bob' }, doneAt: '2026-11-24T03:20:00.000Z' },
        { id: 'comms', text: 'Name a comms lead' },
      ],
    });
    const section = md.split('## Incident checklist')[1]!.split('\n## ')[0]!;
    expect(section).toContain('1 of 2 checklist items were not ticked');
    expect(section).toContain('- [x] Apply a mitigation — bob at');
    expect(section).toContain('- [ ] Name a comms lead — **not ticked**');
  });
});
