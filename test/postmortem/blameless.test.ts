import { describe, expect, it } from 'vitest';
import { checkBlameless } from '../../src/postmortem/blameless.js';

const check = (text: string, names: string[] = ['maria', 'bob']) => checkBlameless([{ source: 'note by alice at 03:04:00', text }], names);
const phrases = (text: string, names?: string[]) => check(text, names).map((f) => f.phrase.toLowerCase());

describe('the blameless language check', () => {
  it.each([
    ["It was bob's fault", "bob's fault"],
    ['maria broke checkout with the config push', 'maria broke'],
    ['<@U123|dave> broke the build', '<@u123|dave> broke'],
    ['root cause: human error', 'human error'],
    ['the on-call should have known about the cron job', 'should have known'],
    ['a careless deploy on Friday', 'careless'],
    ['he forgot to run the migration', 'forgot to'],
    ['checkout was broken by maria', 'broken by maria'],
    ['the team blamed the DBA for the outage', 'blamed'],
    // Every word the quick pre-check looks for (blameless.ts TRIGGER), in the forms each rule takes.
    ['the rollout was taken down by he', 'taken down by he'],
    ['it was the fault of bob', 'fault of bob'],
    ['ops are to blame', 'are to blame'],
    ["she should've checked the dashboard", "should've checked"],
    ['a fat-fingered config value', 'fat-fingered'],
    ['we dropped the ball on the alert', 'dropped the ball'],
    ["the on-call wasn't paying attention", "wasn't paying attention"],
    ["they didn't bother to test it", "didn't bother to"],
    ['classic operator error', 'operator error'],
    ['an INCOMPETENT rollout', 'incompetent'],
    ['someone messed up the cache keys', 'someone messed up'],
  ])('flags "%s"', (text, phrase) => {
    expect(phrases(text)).toContain(phrase);
  });

  it.each([
    'the deploy broke checkout',
    'the config push caused the 500s',
    'the health check did not catch the bad pool size',
    'we follow a blameless process',
    'Maria rolled back the release at 03:20',
  ])('leaves system-focused text alone: "%s"', (text) => {
    expect(check(text)).toEqual([]);
  });

  it('gives every finding its source, the sentence it is in and a system-focused rewording', () => {
    const [finding] = check('Pool was exhausted. It was all human error on the night shift. We resized it.');
    expect(finding).toMatchObject({
      source: 'note by alice at 03:04:00',
      phrase: 'human error',
      excerpt: 'It was all human error on the night shift.',
    });
    expect(finding?.suggestion).toMatch(/what made the mistake easy to make/);
  });

  it('the rewording of "X broke" puts the change, not the person, as the subject', () => {
    const [finding] = check('maria broke checkout');
    expect(finding?.suggestion).toContain('instead of "maria broke"');
    expect(finding?.suggestion).toMatch(/the config change broke checkout; nothing caught it because/);
  });

  it('reports one finding per phrase even when rules overlap, across several texts', () => {
    const findings = checkBlameless(
      [
        { source: 'note', text: "bob's fault, he broke it, so careless" },
        { source: 'resolve summary', text: 'human error' },
        { source: 'action item', text: 'add a pre-deploy check for pool size' },
      ],
      ['bob'],
    );
    expect(findings.map((f) => [f.source, f.phrase])).toEqual([
      ['note', "bob's fault"],
      ['note', 'he broke'],
      ['note', 'careless'],
      ['resolve summary', 'human error'],
    ]);
  });
});
