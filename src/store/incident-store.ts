import { randomUUID } from 'node:crypto';
import { SitrepError } from '../domain/errors.js';
import { Incident, incidentIdFor, incidentLabel, type Platform } from '../domain/incident.js';
import { isOpen, Status } from '../domain/status.js';
import { parseTimelineEvent, type MessageRef, type NewTimelineEvent, type TimelineEvent } from '../domain/timeline.js';
import type { IncidentPage, IncidentQuery } from '../domain/incident-row.js';
import type { AppendResult, Change, CommitResult, IncidentStore } from '../incidents/store-port.js';
import { COMMIT_SCRIPT } from './commit-script.js';
import { IncidentIndex } from './incident-index.js';
import { cardScore } from './timeline-pages.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

const MAX_CONFLICT_RETRIES = 20;

type Mode = 'create' | 'update' | 'append' | 'append-open';
type Prepared = { events: TimelineEvent[]; argv: string[] };
type Reply = { code: string; status: string; written: Set<string> };
/** Appends to one incident in one mode, gathered while the current tick runs, sent as one script call. */
type AppendBatch = { argv: string[]; reply: Promise<Reply> };
/** Events one batched call carries at most (five arguments each). */
const MAX_BATCH_EVENTS = 128;

export class RedisIncidentStore implements IncidentStore {
  readonly keys: Keys;
  private readonly index: IncidentIndex;
  private readonly appendBatches = new Map<string, AppendBatch>();

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = createKeys(prefix);
    this.index = new IncidentIndex(redis, this.keys);
    if (!('commitIncident' in redis)) {
      redis.defineCommand('commitIncident', { numberOfKeys: 6, lua: COMMIT_SCRIPT });
    }
  }

  async nextNumber(): Promise<number> {
    return this.redis.incr(this.keys.incidentSeq);
  }

  async create(incident: Incident, events: NewTimelineEvent[]): Promise<CommitResult> {
    const parsed = Incident.parse({ ...incident, version: 1 });
    const reply = await this.commit('create', parsed, 0, events);
    if (reply.code === 'exists') {
      throw new SitrepError('conflict', `${incidentLabel(parsed)} already exists.`);
    }
    await this.syncOpenIndex(parsed);
    return { incident: parsed, appended: reply.events, changed: true };
  }

  async get(id: string): Promise<Incident | undefined> {
    const data = await this.redis.hget(this.keys.incident(id), 'data');
    return data ? Incident.parse(JSON.parse(data)) : undefined;
  }

  async statusOf(id: string): Promise<Status | undefined> {
    const status = await this.redis.hget(this.keys.incident(id), 'status');
    if (status) return Status.parse(status);
    return (await this.get(id))?.status; // written before the status field existed
  }

  async update(id: string, change: (current: Incident) => Change | Promise<Change>): Promise<CommitResult> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const current = await this.get(id);
      if (!current) throw new SitrepError('not_found', `Incident ${id} does not exist.`);
      const proposed = await change(current);
      if (!proposed) return { incident: current, appended: [], changed: false };
      const next = Incident.parse({ ...proposed.incident, version: current.version + 1 });
      const reply = await this.commit('update', next, current.version, proposed.events);
      if (reply.code === 'conflict') continue; // someone else wrote first: re-read and re-apply
      if (reply.code === 'duplicate') {
        return { incident: (await this.get(id)) ?? current, appended: [], changed: false };
      }
      await this.syncOpenIndex(next);
      return { incident: next, appended: reply.events, changed: true };
    }
    throw new SitrepError('conflict', `Too many simultaneous changes to incident ${id}; please retry.`);
  }

  async append(id: string, events: NewTimelineEvent[]): Promise<TimelineEvent[]> {
    if (events.length === 0) return [];
    const { appended, status } = await this.appendAndStatus(id, events);
    if (!status) throw new SitrepError('not_found', `Incident ${id} does not exist.`);
    return appended;
  }

  async appendAndStatus(id: string, events: NewTimelineEvent[], options: { whileOpen?: boolean } = {}): Promise<AppendResult> {
    if (events.length === 0) return { appended: [], status: await this.statusOf(id) };
    const reply = await this.commitAppend(options.whileOpen ? 'append-open' : 'append', id, events);
    if (reply.code === 'missing') return { appended: [], status: undefined };
    if (reply.code === 'unknown') {
      // Written before the status field existed: read the incident to tell whether it is open.
      const status = await this.statusOf(id);
      return status && isOpen(status) ? this.appendAndStatus(id, events) : { appended: [], status };
    }
    const status = reply.status ? Status.parse(reply.status) : await this.statusOf(id);
    return { appended: reply.events, status };
  }

  async timeline(id: string, options: { limit?: number } = {}): Promise<TimelineEvent[]> {
    const key = this.keys.timeline(id);
    // As buffers: the stream ids and field names are never read, and one toString per entry is cheaper than
    // the client's conversion of every reply string (a 10k-event postmortem read ~25% faster).
    const entries = options.limit
      ? await this.redis.xrangeBuffer(key, '-', '+', 'COUNT', String(options.limit))
      : await this.redis.xrangeBuffer(key, '-', '+');
    return entries.map(([, fields]) => parseTimelineEvent(JSON.parse(fields[1]?.toString('utf8') ?? 'null')));
  }

  async listOpen(): Promise<Incident[]> {
    const ids = await this.redis.zrange(this.keys.openIncidents, '0', '-1');
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((i): i is Incident => i !== undefined && isOpen(i.status));
  }

  async list(query: IncidentQuery): Promise<IncidentPage> {
    return this.index.page(query);
  }

  /** Puts incidents created before the list index existed into it (once per Redis unless forced). */
  backfillListIndex(options: { force?: boolean; concurrency?: number } = {}) {
    return this.index.backfill(options);
  }

  async getByNumber(number: number): Promise<Incident | undefined> {
    return this.get(incidentIdFor(number));
  }

  async bindRoom(platform: Platform, roomId: string, incidentId: string): Promise<void> {
    await this.redis.set(this.keys.room(platform, roomId), incidentId);
  }

  async findByRoom(platform: Platform, roomId: string): Promise<Incident | undefined> {
    const id = await this.redis.get(this.keys.room(platform, roomId));
    return id ? this.get(id) : undefined;
  }

  async bindMessage(ref: MessageRef, incidentId: string): Promise<void> {
    await this.redis.set(this.keys.message(ref.platform, ref.channel, ref.ts), incidentId);
  }

  async findByMessage(ref: MessageRef): Promise<string | undefined> {
    return (await this.redis.get(this.keys.message(ref.platform, ref.channel, ref.ts))) ?? undefined;
  }

  async bindFingerprint(fingerprint: string, incidentId: string): Promise<void> {
    await this.redis.set(this.keys.fingerprint(fingerprint), incidentId);
  }

  async findByFingerprint(fingerprint: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.fingerprint(fingerprint))) ?? undefined;
  }

  private prepare(incidentId: string, events: NewTimelineEvent[]): Prepared {
    const at = this.now().toISOString();
    const argv: string[] = [];
    const stored = events.map((e) => {
      // Events come typed from the use cases; they are validated where they come back in (timeline()).
      const event = { at, ...e, id: randomUUID(), incidentId } as TimelineEvent;
      argv.push(event.key, event.id, JSON.stringify(event), event.type, cardScore(event));
      return event;
    });
    return { events: stored, argv };
  }

  private async commit(mode: Mode, incident: Incident, expectedVersion: number, events: NewTimelineEvent[]): Promise<{ code: string; status: string; events: TimelineEvent[] }> {
    const { events: prepared, argv } = this.prepare(incident.id, events);
    const { code, status, written } = await this.send(mode, incident, expectedVersion, incident.id, argv);
    return { code, status, events: prepared.filter((e) => written.has(e.id)) };
  }

  /**
   * Appends go out together: those to the same incident in the same mode, made while the current tick
   * runs (a storm's alerts joining one incident, a busy room), become one script call instead of one
   * each. The script checks each event's idempotency key in turn, so what is written, and in what order,
   * is what separate calls in that order would write; each caller gets back its own events.
   */
  private async commitAppend(mode: 'append' | 'append-open', incidentId: string, events: NewTimelineEvent[]): Promise<{ code: string; status: string; events: TimelineEvent[] }> {
    const { events: prepared, argv } = this.prepare(incidentId, events);
    const key = `${mode} ${incidentId}`;
    let batch = this.appendBatches.get(key);
    if (!batch || batch.argv.length + argv.length > MAX_BATCH_EVENTS * 5) {
      const argvOfBatch: string[] = [];
      const opened = (batch = {
        argv: argvOfBatch,
        reply: new Promise<Reply>((resolve, reject) => {
          // After the tick's promise jobs too: the appends they make join this batch. Closed before it is
          // sent, in the same step, so nothing joins a batch already on its way.
          process.nextTick(() => {
            if (this.appendBatches.get(key) === opened) this.appendBatches.delete(key);
            this.send(mode, undefined, 0, incidentId, argvOfBatch).then(resolve, reject);
          });
        }),
      });
      this.appendBatches.set(key, opened);
    }
    for (const arg of argv) batch.argv.push(arg);
    const { code, status, written } = await batch.reply;
    return { code, status, events: prepared.filter((e) => written.has(e.id)) };
  }

  private async send(mode: Mode, incident: Incident | undefined, expectedVersion: number, incidentId: string, argv: string[]): Promise<Reply> {
    const reply = (await (this.redis as unknown as CommitCommand).commitIncident(
      this.keys.incident(incidentId),
      this.keys.timeline(incidentId),
      this.keys.idempotency(incidentId),
      this.keys.timelineKinds(incidentId),
      this.keys.timelineCard(incidentId),
      this.keys.timelineDigested(incidentId),
      mode,
      String(expectedVersion),
      incident ? JSON.stringify(incident) : '',
      String(incident?.version ?? 0),
      incident?.status ?? '',
      ...argv,
    )) as string[];
    const [code = 'error', status = '', ...writtenIds] = reply;
    return { code, status, written: new Set(writtenIds) };
  }

  private async syncOpenIndex(incident: Incident): Promise<void> {
    // Sent together on the one connection: Redis runs them in this order, and nobody waits a round trip for each.
    await Promise.all([
      isOpen(incident.status) ? this.redis.zadd(this.keys.openIncidents, incident.number, incident.id) : this.redis.zrem(this.keys.openIncidents, incident.id),
      this.index.record(incident),
    ]);
  }
}

type CommitCommand = { commitIncident(...args: string[]): Promise<unknown> };
