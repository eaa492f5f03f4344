/**
 * The blameless language check. A postmortem that names a person as the cause teaches people to hide
 * mistakes; one that names the conditions that allowed the mistake gets them fixed. Each rule finds a
 * blaming phrase and suggests a system-focused rewording. It is a prompt for the author, never a filter:
 * the draft lists what it found and leaves the words to the people who wrote them.
 */

export interface BlamelessFinding {
  /** Where the text came from, e.g. "note by alice at 03:04". */
  source: string;
  /** The phrase as written. */
  phrase: string;
  /** The sentence around it, so the author can find it. */
  excerpt: string;
  /** A system-focused rewording. */
  suggestion: string;
}

export interface CheckedText {
  /** Where it came from; read only for a text with findings (it may be a getter that builds it). */
  source: string;
  text: string;
}

/** A blaming phrase at its place in one text, for highlighting it where it was written. */
export interface BlamingSpan {
  start: number;
  end: number;
  phrase: string;
  suggestion: string;
}

/**
 * The whole check in one self-contained function (no imports, nothing from outside it), so the web
 * console can serve this very code to the browser and highlight blaming phrases as a person types.
 */
export function blamelessEngine() {
  interface Rule {
    pattern: RegExp;
    suggest: (match: RegExpExecArray) => string;
  }

  /** Words that stand for a person when they are the subject of "broke", "caused" and the like. */
  const PERSON_WORDS = ['he', 'she', 'they', 'someone', 'somebody', 'you', 'i', 'we', 'dev', 'devs', 'developer', 'engineer', 'ops', 'the intern', 'the new guy', 'the on-call'];

  const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  /** A person as a sentence subject: a chat mention, @name, a known participant's name, or a pronoun. */
  function personPattern(names: readonly string[]): string {
    const known = [...new Set([...names.filter((n) => n.trim().length >= 2).map((n) => n.trim()), ...PERSON_WORDS])]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    return `(<@[A-Z0-9]+(?:\\|[^>]+)?>|@[\\w.-]+|\\b(?:${known.join('|')})\\b)`;
  }

  function rules(names: readonly string[]): Rule[] {
    const person = personPattern(names);
    return [
      {
        pattern: /\b[\w@<>|.-]+(?:'s|’s) fault\b|\bfault of [\w@<>|.-]+|\b(?:is|was|are|were) to blame\b|\bblam(?:e|ed|es|ing)\b/gi,
        suggest: () => 'Describe what allowed it instead of whose fault it was: "the deploy pipeline let an unreviewed change reach production because …".',
      },
      {
        pattern: new RegExp(`${person}\\s+(?:broke|took down|brought down|caused|messed up|screwed up)\\b`, 'gi'),
        suggest: (m) => `Make the change the subject, not the person: instead of "${m[0]}", write what changed and what let it through: "the config change broke checkout; nothing caught it because …".`,
      },
      {
        pattern: new RegExp(`\\b(?:broken|caused|taken down) by ${person}`, 'gi'),
        suggest: () => 'Name the change, not the person: "broken by the config change deployed at 03:02, which no check caught because …".',
      },
      {
        pattern: /\bhuman errors?\b|\b(?:operator|user|pilot) error\b/gi,
        suggest: () => 'Describe what made the mistake easy to make and hard to catch: "the runbook step was manual and had no confirmation, so …".',
      },
      {
        pattern: /\bshould(?:'ve| have) (?:known|noticed|seen|caught|checked|tested|realised|realized|been more careful)\b/gi,
        suggest: () => 'Describe what was missing at the time: "the information needed to notice this was not on the dashboard / in the alert".',
      },
      {
        pattern: /\b(?:careless(?:ly|ness)?|sloppy|negligen(?:t|ce)|incompeten(?:t|ce)|lazy|stupid|dumb|idiot(?:ic)?|reckless(?:ly)?)\b/gi,
        suggest: () => 'Describe the action and its context (time pressure, missing guard rails, unclear ownership) without judging the person.',
      },
      {
        pattern: /\b(?:forgot to|didn't bother to|did not bother to|dropped the ball|wasn't paying attention|was not paying attention|fat[- ]fingered)\b/gi,
        suggest: () => 'Describe the step that was missed and what would make it hard to skip: "the migration step is not part of the deploy checklist or automated".',
      },
    ];
  }

  // A draft checks thousands of texts against the same participants: their rules are built once.
  let cachedNames = '';
  let cachedRules: Rule[] | undefined;
  function rulesFor(names: readonly string[]): Rule[] {
    const key = names.join('\n');
    if (!cachedRules || key !== cachedNames) {
      cachedRules = rules(names);
      cachedNames = key;
    }
    return cachedRules;
  }

  /** The sentence that holds the match, cut to a readable length. */
  function excerptAround(text: string, start: number, end: number): string {
    const boundary = /[.!?\n]/;
    let from = start;
    while (from > 0 && start - from < 100 && !boundary.test(text[from - 1] ?? '')) from--;
    let to = end;
    while (to < text.length && to - end < 100 && !boundary.test(text[to] ?? '')) to++;
    if (to < text.length && text[to] !== '\n') to++; // keep the full stop
    const head = from > 0 && !boundary.test(text[from - 1] ?? '') ? '…' : '';
    const tail = to < text.length && !boundary.test(text[to - 1] ?? '') ? '…' : '';
    return `${head}${text.slice(from, to).trim()}${tail}`;
  }

  /**
   * A word every rule above needs ("fault", "broke", "error", …): a text without any — nearly every note of
   * a long incident — is passed after one scan instead of seven. Keep it in step with the rules.
   */
  const TRIGGER = /fault|blam|broke|took down|brought down|caused|messed up|screwed up|taken down|error|should(?:'ve| have)|careless|sloppy|negligen|incompeten|lazy|stupid|dumb|idiot|reckless|forgot to|bother to|dropped the ball|paying attention|fat[- ]fingered/i;

  /** Every blaming phrase in one text, earliest rule first, never two over the same stretch of text. */
  function findBlaming(text: string, names: readonly string[] = []): BlamingSpan[] {
    const spans: BlamingSpan[] = [];
    if (!TRIGGER.test(text)) return spans;
    for (const rule of rulesFor(names)) {
      rule.pattern.lastIndex = 0;
      for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
        const start = m.index;
        const end = start + m[0].length;
        if (m[0].length === 0) {
          rule.pattern.lastIndex++;
          continue;
        }
        // One finding per stretch of text: "it was bob's fault, he broke it" has two, not four.
        if (spans.some((s) => start < s.end && end > s.start)) continue;
        spans.push({ start, end, phrase: m[0], suggestion: rule.suggest(m) });
      }
    }
    return spans;
  }

  return { findBlaming, excerptAround };
}

const engine = blamelessEngine();

/**
 * Finds blaming phrases in the texts people wrote (notes, resolve summary, action items).
 * `names` are the participants' names, so "maria broke checkout" is caught while "the deploy broke
 * checkout" — already about the system — is not.
 */
export function checkBlameless(texts: readonly CheckedText[], names: readonly string[] = []): BlamelessFinding[] {
  const findings: BlamelessFinding[] = [];
  for (const checked of texts) {
    const text = checked.text;
    const spans = engine.findBlaming(text, names);
    if (!spans.length) continue;
    const where = checked.source;
    for (const s of spans) findings.push({ source: where, phrase: s.phrase.trim(), excerpt: engine.excerptAround(text, s.start, s.end), suggestion: s.suggestion });
  }
  return findings;
}

/** The blaming phrases of one text with their places. */
export function findBlaming(text: string, names: readonly string[] = []): BlamingSpan[] {
  return engine.findBlaming(text, names);
}
