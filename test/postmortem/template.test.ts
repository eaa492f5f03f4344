import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { DEFAULT_SEVERITY_LABELS } from '../../src/domain/severity.js';
import { silentLogger } from '../../src/log.js';
import { DEFAULT_TEMPLATE } from '../../src/postmortem/default-template.js';
import { renderMarkdown } from '../../src/postmortem/render.js';
import { compileTemplate, loadTemplate } from '../../src/postmortem/template.js';
import { nightIncident } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-template-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { userMessage?: string }).userMessage ?? (err as Error).message;
  }
  throw new Error('expected an error');
};
const input = () => ({ ...nightIncident(), severityLabels: DEFAULT_SEVERITY_LABELS, timeZone: 'UTC', generatedAt: '2026-11-24T04:00:00.000Z' });

describe('postmortem templates', () => {
  it('the shipped template has every section, and templates/postmortem.md is the same text for teams to start from', () => {
    for (const section of ['header', 'summary', 'impact', 'metrics', 'timeline', 'origin', 'contributing_factors', 'went_well', 'went_poorly', 'got_lucky', 'five_whys', 'action_items', 'language_check']) {
      expect(DEFAULT_TEMPLATE).toContain(`{{${section}}}`);
    }
    expect(readFileSync(new URL('../../templates/postmortem.md', import.meta.url), 'utf8')).toBe(DEFAULT_TEMPLATE);
  });

  it("a team's own template arranges the sections its way", () => {
    const template = loadTemplate(file('ours.md', '# Review of {{ label }} ({{severity}})\n\nLead: {{lead}}\n\n## Numbers\n{{metrics}}\n\n## What we do next\n{{action_items}}\n'));
    const md = renderMarkdown(input(), template);
    expect(md.startsWith('# Review of INC-42 (SEV1 (Critical), the highest reached; declared as SEV2; ended as SEV2)\n\nLead: alice\n\n## Numbers\n| Metric |')).toBe(true);
    expect(md).toContain('| Time to resolve | 40 min |');
    expect(md).toContain('- [ ] alert on pool saturation — owner: carol');
    expect(md).not.toContain('## Timeline');
  });

  it('an unknown placeholder is named, with its line and the known ones', () => {
    const message = messageOf(() => loadTemplate(file('typo.md', '# {{label}}\n\n{{summary}}\n{{timelime}}\n')));
    expect(message).toMatch(/^POSTMORTEM_TEMPLATE ".*typo\.md": line 4: unknown placeholder \{\{timelime\}\}\. Known placeholders: label, number, title, .*timeline/);
  });

  it('an unclosed placeholder is named with the fix', () => {
    expect(messageOf(() => compileTemplate('# {{label}}\n\n{{summary\n\nmore', 'x.md'))).toBe('POSTMORTEM_TEMPLATE x.md: line 3: "{{summary" is not closed; write {{summary}}.');
    expect(messageOf(() => compileTemplate('{{title {{label}}', 'x.md'))).toBe('POSTMORTEM_TEMPLATE x.md: line 1: "{{title" is not closed; write {{title}}.');
  });

  it('a closing "}}" without its opening is caught too', () => {
    expect(messageOf(() => compileTemplate('# {{label}}\n{summary}}', 'x.md'))).toBe('POSTMORTEM_TEMPLATE x.md: line 2: "}}" without a matching "{{" — did you mean {{summary}}?');
  });

  it('an empty or unreadable template file says what to do', () => {
    expect(messageOf(() => loadTemplate(file('empty.md', '  \n')))).toMatch(/the template is empty\. Remove POSTMORTEM_TEMPLATE to use the default template\./);
    expect(messageOf(() => loadTemplate(join(dir, 'missing.md')))).toMatch(/missing\.md": cannot be read \(ENOENT\)/);
  });

  it('a broken template stops sitrep at start-up, naming the placeholder', async () => {
    const config = parseConfig({ POSTMORTEM_TEMPLATE: file('broken.md', '{{summary}}\n{{whatwentwrong}}\n'), REDIS_URL: 'redis://127.0.0.1:6379', PORT: '0', HOST: '127.0.0.1' });
    await expect(startSitrep(config, silentLogger)).rejects.toMatchObject({
      code: 'invalid_input',
      userMessage: expect.stringMatching(/line 2: unknown placeholder \{\{whatwentwrong\}\}/),
    });
  });
});
