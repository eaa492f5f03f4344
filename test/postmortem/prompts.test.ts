import { describe, expect, it } from 'vitest';
import { htmlDocument } from '../../src/postmortem/html.js';
import { DEFAULT_SEVERITY_LABELS } from '../../src/domain/severity.js';
import { applyAnswers, findPrompts } from '../../src/postmortem/prompts.js';
import { draftPostmortem } from '../../src/postmortem/render.js';
import { nightIncident } from './helpers.js';

const draftOf = (overrides: Parameters<typeof nightIncident>[0] = {}, extra = 0) => {
  const { incident, timeline } = nightIncident(overrides);
  return draftPostmortem({ incident, timeline: timeline.slice(0, timeline.length - extra), severityLabels: DEFAULT_SEVERITY_LABELS, timeZone: 'UTC', generatedAt: '2026-11-24T05:00:00.000Z' }).markdown;
};

describe('the prompts of a postmortem draft', () => {
  it('finds every ✏️ prompt with its section and question', () => {
    const prompts = findPrompts(draftOf());
    expect(prompts.length).toBeGreaterThan(8);
    expect(prompts).toContainEqual(expect.objectContaining({ section: 'Impact', lead: 'How many?', question: 'failed requests, users or orders affected, error budget spent.' }));
    expect(prompts.filter((p) => p.section === '5 Whys').map((p) => p.question)).toHaveLength(5);
    expect(new Set(prompts.map((p) => p.id)).size).toBe(prompts.length);
  });

  it('knows a prompt by what it asks, so an answer stays with it when the draft is redrafted from a different timeline', () => {
    const first = findPrompts(draftOf({}, 0));
    const redraft = findPrompts(draftOf({ title: 'Checkout returns 500 for EU users' }, 3));
    const howMany = (ps: typeof first) => ps.find((p) => p.lead === 'How many?')!.id;
    expect(howMany(redraft)).toBe(howMany(first));
    const whys = (ps: typeof first) => ps.filter((p) => p.section === '5 Whys').map((p) => p.id);
    expect(whys(redraft)).toEqual(whys(first));
  });

  it('puts an answer where its prompt was, keeping a multi-line answer inside its list item', () => {
    const markdown = draftOf();
    const howMany = findPrompts(markdown).find((p) => p.lead === 'How many?')!;
    const wentWell = findPrompts(markdown).find((p) => p.section === 'What went well')!;
    const edited = applyAnswers(markdown, { [howMany.id]: { text: '1,240 failed checkouts\nabout 3% of EU traffic' }, [wentWell.id]: { text: 'The pool alert fired early.\n\nThe runbook worked.' } });
    expect(edited).toContain('- **How many?** 1,240 failed checkouts\n  about 3% of EU traffic\n');
    expect(edited).toContain('## What went well\n\nThe pool alert fired early.\n\nThe runbook worked.');
    expect(findPrompts(edited).map((p) => p.id)).not.toContain(howMany.id);
    // Unanswered prompts are left for the authors.
    expect(findPrompts(edited).length).toBe(findPrompts(markdown).length - 2);
  });

  it('an answer with markup shows as text in the HTML download, escaped exactly once', () => {
    const markdown = draftOf();
    const howMany = findPrompts(markdown).find((p) => p.lead === 'How many?')!;
    const doc = htmlDocument(applyAnswers(markdown, { [howMany.id]: { text: 'errors <script>alert(1)</script> & R&amp;D saw 5 < 6' } }), 'INC-42');
    expect(doc).toContain('errors &lt;script&gt;alert(1)&lt;/script&gt; &amp; R&amp;amp;D saw 5 &lt; 6');
    expect(doc).not.toContain('<script>');
    expect(doc).not.toContain('&amp;lt;');
  });
});
