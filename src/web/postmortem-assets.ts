import { blamelessEngine } from '../postmortem/blameless.js';

/**
 * The blameless language check as a browser module: the very function the drafts are checked with
 * (src/postmortem/blameless.ts keeps it self-contained for this), so the page and the draft never
 * disagree. `__name` is the helper some TypeScript runners (tsx) put into compiled functions.
 */
export const BLAMELESS_MODULE = `const __name = (target) => target;
const engine = (${blamelessEngine.toString()})();
export const findBlaming = engine.findBlaming;
`;

/**
 * The prompt editor's script: each prompt form shows, under its text box, what the person wrote with
 * the blaming phrases marked and a suggestion for each — updated as they type. Text goes in through
 * textContent only. The forms work without it.
 */
export const POSTMORTEM_EDITOR_JS = `import { findBlaming } from '/console/assets/blameless.js';

function show(form) {
  const box = form.querySelector('textarea[name="text"]');
  const out = form.querySelector('.blameless-live');
  if (!box || !out) return;
  let names = [];
  try { names = JSON.parse(form.dataset.names || '[]'); } catch { names = []; }
  const update = () => {
    const text = box.value;
    const spans = findBlaming(text, names).sort((a, b) => a.start - b.start);
    out.replaceChildren();
    out.hidden = spans.length === 0;
    form.dataset.blaming = String(spans.length);
    if (!spans.length) return;
    const head = document.createElement('p');
    head.textContent = spans.length === 1 ? '1 blaming phrase to reword:' : spans.length + ' blaming phrases to reword:';
    const preview = document.createElement('blockquote');
    preview.className = 'blameless-preview';
    let at = 0;
    for (const span of spans) {
      preview.append(text.slice(at, span.start));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(span.start, span.end);
      mark.title = span.suggestion;
      preview.append(mark);
      at = span.end;
    }
    preview.append(text.slice(at));
    const tips = document.createElement('ul');
    for (const span of spans) {
      const li = document.createElement('li');
      const phrase = document.createElement('strong');
      phrase.textContent = span.phrase;
      li.append(phrase, ': ' + span.suggestion);
      tips.append(li);
    }
    out.append(head, preview, tips);
  };
  box.addEventListener('input', update);
  update();
}

document.querySelectorAll('form.prompt-edit').forEach(show);
`;
