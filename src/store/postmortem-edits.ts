import { z } from 'zod';
import { Actor } from '../domain/actor.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** A person's answer to one prompt of the postmortem draft, as it stands now. */
export const PromptAnswerRecord = z.object({
  text: z.string(),
  /** 1 for the first save of this prompt, +1 for each save after: what an editor's form started from. */
  revision: z.number().int().positive(),
  by: Actor,
  at: z.string(),
});
export type PromptAnswerRecord = z.infer<typeof PromptAnswerRecord>;

/** One save, kept for the history: who changed which prompt, when, from what to what. */
export const PromptEdit = z.object({
  /** 1, 2, 3… across the whole postmortem. */
  version: z.number().int().positive(),
  promptId: z.string(),
  section: z.string(),
  question: z.string(),
  revision: z.number().int().positive(),
  before: z.string(),
  after: z.string(),
  by: Actor,
  at: z.string(),
});
export type PromptEdit = z.infer<typeof PromptEdit>;

export type SaveResult = { ok: true; edit: PromptEdit } | { ok: false; current: PromptAnswerRecord | undefined };

/**
 * Checks and saves in one step, so two people saving the same prompt cannot both win: the save goes
 * through only if the prompt is still at the revision the editor started from. The history entry gets
 * the text it replaced from Redis itself, not from the editor's page.
 */
const SAVE = `
local field = 'answer:' .. ARGV[1]
local current = redis.call('HGET', KEYS[1], field)
local revision = 0
local before = ''
if current then
  local answer = cjson.decode(current)
  revision = tonumber(answer.revision)
  before = answer.text
end
if revision ~= tonumber(ARGV[2]) then return {0, current or ''} end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
local answer = cjson.decode(ARGV[3])
answer.revision = revision + 1
local encoded = cjson.encode(answer)
redis.call('HSET', KEYS[1], field, encoded)
local edit = cjson.decode(ARGV[4])
edit.version = version
edit.revision = revision + 1
edit.before = before
local entry = cjson.encode(edit)
redis.call('RPUSH', KEYS[2], entry)
return {1, entry}`;

type SaveCommand = { savePostmortemAnswer(answers: string, history: string, promptId: string, base: string, answer: string, edit: string): Promise<[number, string]> };

/**
 * People's answers to the postmortem prompts, next to the draft (same hash tag as the incident):
 * `{inc-N}:postmortem:answers` (hash: `version`, `answer:<promptId>` → JSON) and
 * `{inc-N}:postmortem:edits` (list of every save, oldest first). The console edits them; the console
 * page, the Markdown and HTML downloads, the chat redraft and `sitrep postmortem` all read them.
 */
export class PostmortemEdits {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
    if (!('savePostmortemAnswer' in redis)) redis.defineCommand('savePostmortemAnswer', { numberOfKeys: 2, lua: SAVE });
  }

  private answersKey(incidentId: string): string {
    return this.keys.postmortemAnswers(incidentId);
  }

  private historyKey(incidentId: string): string {
    return this.keys.postmortemEdits(incidentId);
  }

  /** The answers as they stand, by prompt id. */
  async answers(incidentId: string): Promise<Map<string, PromptAnswerRecord>> {
    const all = await this.redis.hgetall(this.answersKey(incidentId));
    const answers = new Map<string, PromptAnswerRecord>();
    for (const [field, json] of Object.entries(all)) {
      if (field.startsWith('answer:')) answers.set(field.slice('answer:'.length), PromptAnswerRecord.parse(JSON.parse(json)));
    }
    return answers;
  }

  /** Every save, oldest first. */
  async history(incidentId: string): Promise<PromptEdit[]> {
    const entries = await this.redis.lrange(this.historyKey(incidentId), 0, -1);
    return entries.map((json) => PromptEdit.parse(JSON.parse(json)));
  }

  /**
   * Saves `text` as the answer to the prompt if it is still at revision `base` (0: never answered).
   * Otherwise nothing is written and the answer someone else saved meanwhile comes back.
   */
  async save(
    incidentId: string,
    prompt: { id: string; section: string; question: string },
    base: number,
    text: string,
    by: Actor,
    at: string,
  ): Promise<SaveResult> {
    const answer = { text, revision: 1, by, at };
    const edit = { version: 1, promptId: prompt.id, section: prompt.section, question: prompt.question, revision: 1, before: '', after: text, by, at };
    const [ok, json] = await (this.redis as unknown as SaveCommand).savePostmortemAnswer(
      this.answersKey(incidentId),
      this.historyKey(incidentId),
      prompt.id,
      String(base),
      JSON.stringify(answer),
      JSON.stringify(edit),
    );
    if (ok === 1) return { ok: true, edit: PromptEdit.parse(JSON.parse(json)) };
    return { ok: false, current: json ? PromptAnswerRecord.parse(JSON.parse(json)) : undefined };
  }
}
