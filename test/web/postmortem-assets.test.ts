import { describe, expect, it } from 'vitest';
import { findBlaming } from '../../src/postmortem/blameless.js';
import { BLAMELESS_MODULE } from '../../src/web/postmortem-assets.js';

describe('the blameless check served to the browser', () => {
  it('is the drafts’ own check: the same phrases, places and suggestions, loaded as a standalone ES module', async () => {
    const served = (await import(`data:text/javascript;base64,${Buffer.from(BLAMELESS_MODULE).toString('base64')}`)) as { findBlaming: typeof findBlaming };
    const text = "It was dave's fault. maria broke checkout; human error, she should have known. The deploy broke checkout.";
    expect(served.findBlaming(text, ['maria'])).toEqual(findBlaming(text, ['maria']));
    expect(served.findBlaming(text, ['maria']).map((s) => text.slice(s.start, s.end))).toEqual(["dave's fault", 'maria broke', 'human error', 'should have known']);
  });
});
