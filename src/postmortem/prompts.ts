import { createHash } from 'node:crypto';

/**
 * The prompts of a postmortem draft — every "✏️ **To write:** …" the authors fill in — found in its
 * Markdown, and the draft with people's answers put in their place. A prompt is known by the section it
 * is in and its question (not by its position), so an answer stays with its prompt when the draft is
 * redrafted from a longer timeline.
 */
export const PROMPT_MARK = '✏️ **To write:**';

export interface DraftPrompt {
  /** Stable across redrafts: the section, the question, and which of identical questions in it. */
  id: string;
  /** The `##` heading above it, e.g. "Impact". */
  section: string;
  /** The text after the mark, e.g. "which users, customers or internal teams; which regions or plans." */
  question: string;
  /** What the line says before the mark ("- **How many?**"), for context in the editor. */
  lead: string;
}

export interface PromptAnswer {
  text: string;
}

const HEADING = /^#{1,3}\s+(.*)$/;
/** A list item's marker, to indent an answer's further lines so they stay in the item. */
const LIST_ITEM = /^(\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?)/;

function promptId(section: string, question: string, occurrence: number): string {
  return createHash('sha256').update(`${section}\n${question}\n${occurrence}`).digest('hex').slice(0, 12);
}

interface Located extends DraftPrompt {
  line: number;
  column: number;
}

function locate(markdown: string): Located[] {
  const found: Located[] = [];
  const seen = new Map<string, number>();
  let section = '';
  let fenced = false;
  markdown.split('\n').forEach((line, index) => {
    if (/^(?:```|~~~)/.test(line.trimStart())) fenced = !fenced;
    if (fenced) return;
    const heading = HEADING.exec(line);
    if (heading && !line.startsWith('# ')) section = heading[1]!.trim();
    const column = line.indexOf(PROMPT_MARK);
    if (column < 0) return;
    const question = line.slice(column + PROMPT_MARK.length).trim();
    const key = `${section}\n${question}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    // Plain text for the editor's heading: the list marker and Markdown emphasis go.
    const lead = line.slice(0, column).replace(LIST_ITEM, '').replace(/\*\*|__/g, '').replace(/\\(.)/g, '$1').trim();
    found.push({ id: promptId(section, question, occurrence), section, question, lead, line: index, column });
  });
  return found;
}

/** The prompts of a draft, in the order they appear. */
export function findPrompts(markdown: string): DraftPrompt[] {
  return locate(markdown).map(({ id, section, question, lead }) => ({ id, section, question, lead }));
}

/**
 * The answer in Markdown where the prompt was: inside a list item its further lines are indented (and
 * blank lines dropped) so the item does not end; on its own line it can be several paragraphs.
 */
function answerMarkdown(line: string, column: number, text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  const item = LIST_ITEM.exec(line);
  if (item) {
    const indent = ' '.repeat(item[1]!.length);
    return lines
      .filter((l) => l.trim() !== '')
      .map((l, i) => (i === 0 ? l : `${indent}${l}`))
      .join('\n');
  }
  return column === 0 ? lines.join('\n') : lines.filter((l) => l.trim() !== '').join('\n');
}

/** The draft with each answered prompt replaced by its answer; unanswered prompts stay as they are. */
export function applyAnswers(markdown: string, answers: ReadonlyMap<string, PromptAnswer> | Record<string, PromptAnswer>): string {
  const get = (id: string) => (answers instanceof Map ? answers.get(id) : (answers as Record<string, PromptAnswer>)[id]);
  const lines = markdown.split('\n');
  for (const prompt of locate(markdown)) {
    const answer = get(prompt.id);
    if (!answer || !answer.text.trim()) continue;
    const line = lines[prompt.line]!;
    lines[prompt.line] = line.slice(0, prompt.column) + answerMarkdown(line, prompt.column, answer.text);
  }
  return lines.join('\n');
}
