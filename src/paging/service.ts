// Paging as the incident use cases see it (PagingPort): page a team's on-call or one person, take their
// answer, escalate when nobody answers, and stop when the incident is resolved.
//
// Page state lives on the incident and changes only through IncidentStore.update (compare-and-set plus
// idempotency keys), so whichever of an acknowledgement, an escalation or a resolve commits first wins and
// the others see it and step back. Timers and page sending are BullMQ jobs (timers.ts): a timer is always
// scheduled *before* the state that needs it is committed, so a crash in between leaves a timer that finds
// nothing to do rather than a page that never escalates.
import { randomBytes } from 'node:crypto';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel, type Incident, type PageState, type Platform } from '../domain/incident.js';
import { isOpen } from '../domain/status.js';
import type { NewTimelineEvent } from '../domain/timeline.js';
import type { ChatPort, PageView } from '../incidents/chat-port.js';
import { chatFor, type IncidentDeps, type PagingPort } from '../incidents/deps.js';
import { refreshRoom } from '../incidents/room.js';
import type { OncallConfig } from './config.js';
import { asSitrepError, PagingError } from './errors.js';
import { nextStep, policyFor, policyIdForTeam } from './escalation-policy.js';
import type { Pager } from './pager.js';
import {
  ackRefusal,
  declineRefusal,
  durationText,
  findPage,
  includesActor,
  isAt,
  messagesBehind,
  outcomeFor,
  positionKey,
  scopeText,
  union,
  withPage,
  type Position,
} from './page-state.js';
import type { PagerDutyWebhookResult } from './providers/pagerduty-webhook.js';
import { respondersAt } from './responders.js';
import type { PagingJob, PagingTimers } from './timers.js';

export interface PagingServiceOptions {
  config: OncallConfig;
  deps: IncidentDeps;
  timers: PagingTimers;
  /** Teams with `provider: pagerduty` page through this. */
  pagerduty?: Pager;
}

type Answer = { ok: boolean; message?: string };

/**
 * How long a delivery scheduled before its page is committed waits unless the commit makes it due at once:
 * only a crash between the two (or a commit that failed) lets it run that late.
 */
const DELIVERY_SAFETY_NET_MS = 3000;

export class PagingService implements PagingPort {
  private readonly config: OncallConfig;
  private readonly deps: IncidentDeps;
  private readonly timers: PagingTimers;
  private readonly pagerduty: Pager | undefined;

  constructor(options: PagingServiceOptions) {
    this.config = options.config;
    this.deps = options.deps;
    this.timers = options.timers;
    this.pagerduty = options.pagerduty;
  }

  knowsTeam(team: string): boolean {
    return Object.hasOwn(this.config.teams, team);
  }

  // ---- PagingPort ----

  async page(incident: Incident, target: { team: string } | { user: Actor }, actor: Actor, message?: string): Promise<void> {
    const now = this.deps.clock();
    const page = { ...('team' in target ? this.teamPage(incident, target.team, now, message) : this.directPage(target.user, now, message)), requestedBy: actor };
    // The delivery is scheduled before the page is committed, a few seconds out, so a crash in between still
    // sends it; the commit then makes it due at once. The level's timer starts once the page is delivered
    // (deliver), never while it waits in the queue.
    const deliver = { kind: 'deliver' as const, incidentId: incident.id, pageId: page.id, level: 0, pass: 0 };
    await this.timers.schedule(deliver, DELIVERY_SAFETY_NET_MS);
    try {
      await this.deps.store.update(incident.id, (cur) => {
        const label = incidentLabel(cur);
        if (!isOpen(cur.status)) throw new SitrepError('invalid_transition', `${label} is ${cur.status}; reopen it before paging anyone.`);
        const busy = cur.pages.find((p) => p.status === 'pending' && (page.team ? p.team === page.team : !p.team && includesActor(p.targets, page.targets[0]!)));
        if (busy) {
          const who = page.team ?? this.mention(cur, page.targets[0]!);
          throw new SitrepError('conflict', `${who} is already being paged for ${label} (${scopeText(busy)}). Wait for an answer, or page someone else.`);
        }
        return { incident: { ...cur, pages: [...cur.pages, page] }, events: [] };
      });
    } catch (err) {
      await this.timers.unschedule(deliver).catch(() => undefined);
      throw err;
    }
    this.deps.logger.info({ incident: incident.id, page: page.id, team: page.team, provider: page.provider }, 'paging');
    await this.timers.promote(deliver);
  }

  async answer(incidentId: string, pageId: string, actor: Actor, answer: 'acknowledge' | 'decline'): Promise<Answer> {
    return answer === 'acknowledge' ? this.acknowledge(incidentId, pageId, actor) : this.decline(incidentId, pageId, actor);
  }

  async cancel(incident: Incident, actor: Actor): Promise<void> {
    const cancelled: PageState[] = [];
    const result = await this.deps.store.update(incident.id, (cur) => {
      cancelled.length = 0;
      const pages = cur.pages.map((p) => {
        if (p.status !== 'pending') return p;
        const next: PageState = { ...p, status: 'cancelled', nextEscalationAt: undefined };
        cancelled.push(next);
        return next;
      });
      return cancelled.length ? { incident: { ...cur, pages }, events: [] } : null;
    });
    for (const page of result.changed ? cancelled : []) {
      await this.timers.unschedule({ kind: 'escalate', pageId: page.id, level: page.level, pass: page.pass });
      await this.syncMessages(incident.id, page.id);
    }
    const pdTeams = new Set(result.incident.pages.filter((p) => p.provider === 'pagerduty' && p.team).map((p) => p.team!));
    for (const team of pdTeams) {
      await this.pagerduty?.resolve({ incidentId: incident.id, team }).catch((err: unknown) => {
        this.deps.logger.warn({ incident: incident.id, team, err: { message: (err as Error).message } }, 'could not resolve the PagerDuty alert');
      });
    }
    if (cancelled.length) this.deps.logger.info({ incident: incident.id, pages: cancelled.map((p) => p.id), by: actor.id }, 'pages cancelled');
  }

  // ---- PagerDuty webhook ----

  /** Mirrors an acknowledgement made in PagerDuty onto sitrep's pages for that incident. */
  async mirrorPagerDuty(event: PagerDutyWebhookResult): Promise<{ recorded: boolean; reason?: string }> {
    if (event.kind !== 'incident') return { recorded: false, reason: `${event.eventType} is not an incident event` };
    if (event.eventType !== 'incident.acknowledged') return { recorded: false, reason: `${event.eventType} is not mirrored` };
    if (!event.incidentId) return { recorded: false, reason: 'the PagerDuty incident was not raised by sitrep' };
    const incidentId = event.incidentId;
    if (!(await this.deps.store.get(incidentId))) return { recorded: false, reason: `no incident ${incidentId}` };
    const actor: Actor = { platform: 'pagerduty', id: event.actor?.pagerdutyId ?? 'pagerduty', name: event.actor?.name ?? 'PagerDuty' };
    const at = event.occurredAt.toISOString();
    const acked: string[] = [];
    const result = await this.deps.store.update(incidentId, (cur) => {
      acked.length = 0;
      if (!isOpen(cur.status)) return null;
      const events: NewTimelineEvent[] = [];
      const pages = cur.pages.map((p) => {
        if (p.provider !== 'pagerduty' || (p.status !== 'pending' && p.status !== 'exhausted')) return p;
        acked.push(p.id);
        events.push({ type: 'acknowledged', actor, key: `pagerduty:${event.eventId}:${p.id}`, pageId: p.id, team: p.team, at });
        return { ...p, status: 'acknowledged' as const, acknowledgedBy: actor, acknowledgedAt: at, nextEscalationAt: undefined };
      });
      return acked.length ? { incident: { ...cur, pages, acknowledgedAt: cur.acknowledgedAt ?? at }, events } : null;
    });
    if (!result.changed) return { recorded: false, reason: 'nothing pending to acknowledge' };
    for (const pageId of acked) await this.syncMessages(incidentId, pageId);
    await this.say(result.incident, `:white_check_mark: ${actor.name} acknowledged the page in PagerDuty.`);
    return { recorded: true };
  }

  // ---- jobs ----

  /** The worker's entry point for every paging job. */
  readonly handle = async (job: PagingJob, run: { attempt: number; final: boolean } = { attempt: 1, final: true }): Promise<void> => {
    try {
      switch (job.kind) {
        case 'escalate':
          await this.advance(job.incidentId, job.pageId, { level: job.level, pass: job.pass }, 'timeout');
          return;
        case 'deliver':
          await this.deliver(job);
          return;
        case 'exhausted':
          await this.tellNobodyAnswered(job.incidentId, job.pageId);
          return;
      }
    } catch (err) {
      if (err instanceof PageNotRecordedYet) {
        if (run.final) return; // the page was never committed (refused, or its request crashed): nothing to send
        throw err;
      }
      // People in the room must know a page may not have gone out: on the first failure and when giving up.
      if (run.attempt === 1 || run.final) await this.warnRoom(job, err, run.final).catch(() => undefined);
      // A level that could not be delivered at all must not hold the page there: the next level gets it.
      if (run.final && job.kind === 'deliver') await this.timers.schedule({ ...job, kind: 'escalate' }).catch(() => undefined);
      throw err;
    }
  };

  private async warnRoom(job: PagingJob, err: unknown, final: boolean): Promise<void> {
    const incident = await this.deps.store.get(job.incidentId);
    if (!incident) return;
    const reason = err instanceof SitrepError || err instanceof PagingError ? (err instanceof SitrepError ? err.userMessage : err.message) : 'an unexpected error (logged)';
    const next = final ? 'sitrep has given up on it: page them by phone.' : 'sitrep keeps retrying.';
    await this.say(incident, `:warning: Paging trouble: ${reason} ${next}`);
  }

  // ---- answers ----

  private async acknowledge(incidentId: string, pageId: string, actor: Actor): Promise<Answer> {
    const now = this.deps.clock().toISOString();
    let refusal: string | undefined;
    const result = await this.deps.store.update(incidentId, (cur) => {
      const page = findPage(cur, pageId);
      refusal = ackRefusal(cur, page, actor, (a) => this.mention(cur, a));
      if (refusal || !page || page.status === 'acknowledged') return null;
      const next: PageState = { ...page, status: 'acknowledged', acknowledgedBy: actor, acknowledgedAt: now, nextEscalationAt: undefined };
      return {
        incident: { ...withPage(cur, next), acknowledgedAt: cur.acknowledgedAt ?? now },
        events: [{ type: 'acknowledged', actor, key: `ack:${pageId}`, pageId, team: page.team, at: now }],
      };
    });
    if (refusal) return { ok: false, message: refusal };
    if (!result.changed) return { ok: true };
    const page = findPage(result.incident, pageId)!;
    await this.timers.unschedule({ kind: 'escalate', pageId, level: page.level, pass: page.pass });
    await this.syncMessages(incidentId, pageId);
    const took = durationText(Date.parse(now) - Date.parse(page.pagedAt));
    await this.say(result.incident, `:white_check_mark: ${this.mention(result.incident, actor)} acknowledged the page (${scopeText(page)}) after ${took}.`);
    return { ok: true };
  }

  private async decline(incidentId: string, pageId: string, actor: Actor): Promise<Answer> {
    const incident = await this.deps.store.get(incidentId);
    if (!incident) return { ok: false, message: `Incident ${incidentId} does not exist any more.` };
    const page = findPage(incident, pageId);
    if (page && includesActor(page.declined, actor)) return { ok: true }; // a second click
    const refusal = declineRefusal(incident, page, actor, (a) => this.mention(incident, a));
    if (refusal || !page) return { ok: false, message: refusal };
    if (!page.policy) return this.declineDirect(incidentId, pageId, actor);
    return this.advance(incidentId, pageId, { level: page.level, pass: page.pass }, 'declined', actor);
  }

  /** A person paged directly has nobody behind them: the page ends and the channel is told. */
  private async declineDirect(incidentId: string, pageId: string, actor: Actor): Promise<Answer> {
    let refusal: string | undefined;
    const result = await this.deps.store.update(incidentId, (cur) => {
      const page = findPage(cur, pageId);
      refusal = declineRefusal(cur, page, actor, (a) => this.mention(cur, a));
      if (refusal || !page) return null;
      const next: PageState = { ...page, status: 'exhausted', declined: union(page.declined, [actor]), nextEscalationAt: undefined };
      return { incident: withPage(cur, next), events: [{ type: 'declined', actor, key: `decline:${pageId}:0.0`, pageId }] };
    });
    if (refusal) return { ok: false, message: refusal };
    if (result.changed) await this.timers.schedule({ kind: 'exhausted', incidentId, pageId, level: 0, pass: 0 });
    return { ok: true };
  }

  // ---- escalation ----

  /**
   * Moves the page from `from` to the policy's next step (a timeout, or "Can't take it" from `actor`).
   * Re-checks in the commit that the page is still pending at `from`, so a second run of the same timer, a
   * decline racing the timer, or an acknowledgement that got in first all leave exactly one outcome.
   */
  private async advance(incidentId: string, pageId: string, from: Position, reason: 'timeout' | 'declined', actor?: Actor): Promise<Answer> {
    const incident = await this.deps.store.get(incidentId);
    const page = incident && findPage(incident, pageId);
    if (!incident || !page) return { ok: false, message: 'This page is not part of the incident any more.' };
    if (!isAt(page, from) || page.status !== 'pending') {
      await this.ensureFollowUp(incident, page);
      return reason === 'declined' ? { ok: false, message: declineRefusal(incident, page, actor!, (a) => this.mention(incident, a)) } : { ok: true };
    }
    if (!isOpen(incident.status)) {
      await this.cancel(incident, SYSTEM_ACTOR); // resolved, but the cancel that follows a resolve never ran
      return { ok: true };
    }
    if (!page.policy) return { ok: true }; // direct pages do not escalate
    const policy = policyFor(this.config, page.policy);
    const step = nextStep(policy, from.level, from.pass);
    const now = this.deps.clock();
    const by = actor ?? SYSTEM_ACTOR;
    const fromKey = positionKey(from);
    const declinedEvents: NewTimelineEvent[] = actor ? [{ type: 'declined', actor, key: `decline:${pageId}:${fromKey}`, pageId }] : [];
    let refusal: string | undefined;
    const stillHere = (cur: Incident): PageState | undefined => {
      const p = findPage(cur, pageId);
      if (!p || p.status !== 'pending' || !isAt(p, from) || !isOpen(cur.status)) return undefined;
      if (actor && !includesActor(p.targets, actor)) {
        refusal = declineRefusal(cur, p, actor, (a) => this.mention(cur, a));
        return undefined;
      }
      return p;
    };

    if (step.kind === 'exhausted') {
      const result = await this.deps.store.update(incidentId, (cur) => {
        const p = stillHere(cur);
        if (!p) return null;
        const next: PageState = { ...p, status: 'exhausted', nextEscalationAt: undefined, declined: actor ? union(p.declined, [actor]) : p.declined };
        const escalated: NewTimelineEvent = { type: 'escalated', actor: by, key: `escalate:${pageId}:${fromKey}`, pageId, fromLevel: from.level, reason, exhausted: true };
        return { incident: withPage(cur, next), events: [...declinedEvents, escalated] };
      });
      if (refusal) return { ok: false, message: refusal };
      if (result.changed) {
        await this.timers.schedule({ kind: 'exhausted', incidentId, pageId, level: from.level, pass: from.pass });
        await this.syncMessages(incidentId, pageId);
      }
      return { ok: true };
    }

    const to = { level: step.levelIndex, pass: step.pass };
    const platform = incident.room?.platform ?? 'slack';
    const responders = respondersAt(this.config, page.policy, to.level, now, platform);
    // The next level's page is queued before the move is committed (a crash in between still sends it); its
    // timer starts once it is delivered, so a page held up by a crash or an outage still gets its full level.
    const nextDelivery = { kind: 'deliver' as const, incidentId, pageId, ...to };
    await this.timers.schedule(nextDelivery, DELIVERY_SAFETY_NET_MS);
    const result = await this.deps.store.update(incidentId, (cur) => {
      const p = stillHere(cur);
      if (!p) return null;
      const next: PageState = {
        ...p,
        ...to,
        targets: responders.actors,
        unreachable: responders.unreachable,
        paged: union(p.paged, responders.actors),
        declined: actor ? union(p.declined, [actor]) : p.declined,
        deliveredAt: undefined,
          nextEscalationAt: undefined,
      };
      const escalated: NewTimelineEvent = { type: 'escalated', actor: by, key: `escalate:${pageId}:${fromKey}`, pageId, fromLevel: from.level, toLevel: to.level, reason, exhausted: false };
      return { incident: withPage(cur, next), events: [...declinedEvents, escalated] };
    });
    if (!result.changed) {
      const now2 = findPage(result.incident, pageId);
      if (!now2 || now2.status !== 'pending' || !isAt(now2, to)) await this.timers.unschedule(nextDelivery);
      return refusal ? { ok: false, message: refusal } : { ok: true };
    }
    this.deps.logger.info({ incident: incidentId, page: pageId, from, to, reason }, 'page escalated');
    await this.timers.promote(nextDelivery);
    await this.syncMessages(incidentId, pageId);
    return { ok: true };
  }

  /**
   * A timer found its page already past it. If the run that moved it died before finishing (sending the
   * next level's page, scheduling its timer, updating the earlier level's messages), make sure that work
   * exists; the deterministic job ids make this a no-op when it does.
   */
  private async ensureFollowUp(incident: Incident, page: PageState): Promise<void> {
    const base = { incidentId: incident.id, pageId: page.id, level: page.level, pass: page.pass };
    if (page.status === 'pending' && isOpen(incident.status)) {
      if (page.nextEscalationAt) await this.timers.schedule({ kind: 'escalate', ...base }, Date.parse(page.nextEscalationAt) - Date.now());
      if (page.announced !== positionKey(page)) await this.timers.schedule({ kind: 'deliver', ...base });
      // Otherwise the previous level's DMs would keep offering buttons for a level that has passed.
      if (messagesBehind(page, this.deps.clock().toISOString())) await this.syncMessages(incident.id, page.id);
    } else if (page.status === 'exhausted' && page.announced !== 'exhausted') {
      await this.timers.schedule({ kind: 'exhausted', ...base });
    }
  }

  // ---- sending ----

  /**
   * Sends the page for one level: DMs (or the PagerDuty trigger), invites, the channel line, the card. Only
   * once someone has it does the timeline say "paged" (naming who got it) and the level's timer start.
   */
  private async deliver(job: PagingJob): Promise<void> {
    let incident = await this.deps.store.get(job.incidentId);
    let page = incident && findPage(incident, job.pageId);
    if (!incident) return;
    if (!page || (page.status === 'pending' && isBefore(page, job))) throw new PageNotRecordedYet(job);
    if (page.status !== 'pending' || !isAt(page, job) || !isOpen(incident.status)) {
      await this.recordSkipped(incident, page, job);
      return;
    }
    const chat = this.chatOf(incident);
    const position = { level: page.level, pass: page.pass };
    let failed: unknown;

    if (page.provider === 'pagerduty') {
      if (!page.externalKey) {
        const pager = this.requirePagerDuty(page.team);
        const result = await pager.page({
          incident: { id: incident.id, number: incident.number, title: incident.title, severity: incident.severity, ...(incident.room?.url ? { channelUrl: incident.room.url } : {}) },
          team: page.team ?? '',
          level: page.level,
          users: respondersAt(this.config, page.policy ?? '', page.level, new Date(page.pagedAt), incident.room?.platform ?? 'slack').users,
          ...(page.message ? { message: page.message } : {}),
        });
        incident = await this.commitDelivery(job, (p) => (p.externalKey ? null : { ...p, externalKey: result.externalKey ?? '' }), page.targets);
        page = findPage(incident, job.pageId)!;
      }
    } else {
      for (const target of page.targets) {
        if (page.handles.some((h) => h.level === position.level && h.pass === position.pass && h.user.id === target.id)) continue;
        let handle: string | undefined;
        // At least once, not exactly once: if this replica dies after the chat platform accepted the DM but
        // before the handle below is committed, the retried job cannot tell and sends the DM again (neither
        // Slack nor Teams takes an idempotency key). Everything else about the page still happens once.
        try {
          handle = await chat.sendPage(target, this.viewOf(incident, page));
        } catch (err) {
          failed ??= err; // the others still get theirs; the job retries whoever is missing
          continue;
        }
        if (!handle) continue;
        incident = await this.commitDelivery(job, (p) => (p.handles.some((h) => h.handle === handle) ? null : { ...p, handles: [...p.handles, { user: target, handle, ...position }] }), [target]);
        page = findPage(incident, job.pageId)!;
      }
    }

    if (incident.room && page.targets.length) {
      await chat.invite(incident.room, page.targets).catch((err: unknown) => {
        this.deps.logger.warn({ incident: incident!.id, err: { message: (err as Error).message } }, 'could not invite the paged people');
      });
    }
    // A page nobody received is not announced, recorded or timed: the job retries, and does so once someone has it.
    const reached = page.handles.some((h) => h.level === position.level && h.pass === position.pass);
    if (failed && page.provider !== 'pagerduty' && !reached) throw failed;
    incident = await this.startTimer(incident, page, page.provider === 'pagerduty' || reached);
    page = findPage(incident, job.pageId)!;
    if (page.announced !== positionKey(position)) {
      await this.say(incident, this.pagedText(incident, page));
      incident = await this.patchPage(job.incidentId, job.pageId, (p) => (p.announced === positionKey(position) ? null : { ...p, announced: positionKey(position) }));
    }
    await refreshRoom(this.deps, incident);
    if (failed) throw failed;
  }

  /**
   * Stores what was delivered (a DM's handle, PagerDuty's key) together with the "paged" event naming whom it
   * reached: the timeline says "paged" exactly for the pages that went out, also when the page moved on meanwhile.
   */
  private async commitDelivery(job: PagingJob, change: (page: PageState) => PageState | null, reached: Actor[]): Promise<Incident> {
    const result = await this.deps.store.update(job.incidentId, (cur) => {
      const page = findPage(cur, job.pageId);
      const next = page && change(page);
      if (!next) return null;
      // The first level's page is the requester's doing; later levels are sitrep's.
      const by = job.level === 0 && job.pass === 0 && page.requestedBy ? page.requestedBy : SYSTEM_ACTOR;
      return { incident: withPage(cur, next), events: [pagedEvent(next, job, by, reached)] };
    });
    return result.incident;
  }

  /**
   * The level went out: its timer starts now (scheduled before the commit, like every timer), from when the
   * page was delivered rather than queued. A level that reaches nobody (nobody on call) moves on at once.
   */
  private async startTimer(incident: Incident, page: PageState, reachedSomeone: boolean): Promise<Incident> {
    if (page.deliveredAt) return incident;
    const position = { level: page.level, pass: page.pass };
    const now = this.deps.clock();
    const timed = page.provider !== 'pagerduty' && page.policy !== undefined;
    const delayMs = timed ? (reachedSomeone ? respondersAt(this.config, page.policy!, page.level, now, platformOf(incident)).timeoutMs : 0) : undefined;
    if (delayMs !== undefined) await this.timers.schedule({ kind: 'escalate', incidentId: incident.id, pageId: page.id, ...position }, delayMs);
    const deliveredAt = now.toISOString();
    return this.patchPage(incident.id, page.id, (p) =>
      p.deliveredAt || !isAt(p, position) || p.status !== 'pending'
        ? null
        : { ...p, deliveredAt, ...(delayMs !== undefined ? { nextEscalationAt: new Date(now.getTime() + delayMs).toISOString() } : {}) },
    );
  }

  /** A queued page for a level that never went out: the timeline says so, and why, instead of "paged". */
  private async recordSkipped(incident: Incident, page: PageState, job: PagingJob): Promise<void> {
    const delivered = page.handles.some((h) => h.level === job.level && h.pass === job.pass) || page.announced === positionKey(job) || (isAt(page, job) && page.deliveredAt);
    if (delivered) return;
    const reason = !isOpen(incident.status)
      ? `the incident was ${incident.status} first`
      : page.status === 'acknowledged'
        ? `${page.acknowledgedBy ? this.mention(incident, page.acknowledgedBy) : 'someone'} acknowledged first`
        : page.status === 'cancelled'
          ? 'the page was called off first'
          : 'the page had moved on';
    await this.deps.store.update(incident.id, (cur) => ({
      incident: cur,
      events: [{ type: 'page_skipped', actor: SYSTEM_ACTOR, key: `page-skipped:${page.id}:${positionKey(job)}`, pageId: page.id, level: job.level, target: { ...(page.team ? { team: page.team } : {}), users: isAt(page, job) ? page.targets : [] }, reason }],
    }));
    this.deps.logger.info({ incident: incident.id, page: page.id, level: job.level, reason }, 'queued page not sent');
  }

  private async tellNobodyAnswered(incidentId: string, pageId: string): Promise<void> {
    const incident = await this.deps.store.get(incidentId);
    const page = incident && findPage(incident, pageId);
    if (!incident || !page || page.status !== 'exhausted' || page.announced === 'exhausted') return;
    const label = incidentLabel(incident);
    const text = page.policy
      ? `:warning: Nobody answered the page for *${page.team}* on ${label}: every level was tried${page.pass > 0 ? ` ${page.pass + 1} times` : ''}. Page someone directly with \`/incident page @person\`, or phone them.`
      : `:warning: ${page.declined.map((a) => this.mention(incident, a)).join(', ')} can't take the page for ${label}. Page someone else with \`/incident page <team|@person>\`.`;
    await this.say(incident, text);
    const lead = incident.roles.lead;
    if (lead && lead.platform === incident.room?.platform) await this.chatOf(incident).notify(lead, text);
    await this.patchPage(incidentId, pageId, (p) => (p.announced === 'exhausted' ? null : { ...p, announced: 'exhausted' }));
    await this.syncMessages(incidentId, pageId);
  }

  /** Brings every page message of this page and the incident card in line with the stored state. */
  private async syncMessages(incidentId: string, pageId: string): Promise<void> {
    const incident = await this.deps.store.get(incidentId);
    const page = incident && findPage(incident, pageId);
    if (!incident || !page) return;
    const chat = this.chatOf(incident);
    const now = this.deps.clock().toISOString();
    const shown = new Map<string, string>();
    for (const h of page.handles) {
      const outcome = outcomeFor(page, h.user, h, now);
      const kind = outcome?.kind ?? 'open';
      if ((h.outcome ?? 'open') === kind) continue;
      try {
        await chat.updatePage(h.user, h.handle, { ...this.viewOf(incident, page), level: h.level, ...(outcome ? { outcome } : {}) });
        shown.set(h.handle, kind);
      } catch (err) {
        this.deps.logger.warn({ incident: incidentId, page: pageId, err: { message: (err as Error).message } }, 'could not update a page message');
      }
    }
    const latest = shown.size
      ? await this.patchPage(incidentId, pageId, (p) => ({ ...p, handles: p.handles.map((h) => (shown.has(h.handle) ? { ...h, outcome: shown.get(h.handle) } : h)) }))
      : incident;
    await refreshRoom(this.deps, latest);
  }

  // ---- helpers ----

  private teamPage(incident: Incident, team: string, now: Date, message: string | undefined): PageState {
    let policyId: string;
    try {
      policyId = policyIdForTeam(this.config, team);
    } catch (err) {
      throw err instanceof PagingError ? asSitrepError(err) : err;
    }
    const settings = this.config.teams[team]!;
    const responders = respondersAt(this.config, policyId, 0, now, incident.room?.platform ?? 'slack');
    const base = {
      id: newPageId(),
      team,
      policy: policyId,
      level: 0,
      pass: 0,
      targets: responders.actors,
      paged: responders.actors,
      declined: [],
      unreachable: responders.unreachable,
      handles: [],
      status: 'pending' as const,
      pagedAt: now.toISOString(),
      ...(message ? { message } : {}),
    };
    if (settings.provider === 'pagerduty') {
      this.requirePagerDuty(team);
      return { ...base, provider: 'pagerduty' }; // PagerDuty runs its own escalation policy
    }
    return { ...base, provider: 'chat' };
  }

  private directPage(user: Actor, now: Date, message: string | undefined): PageState {
    return {
      id: newPageId(),
      level: 0,
      pass: 0,
      targets: [user],
      paged: [user],
      declined: [],
      unreachable: [],
      handles: [],
      provider: 'chat',
      status: 'pending',
      pagedAt: now.toISOString(),
      ...(message ? { message } : {}),
    };
  }

  private requirePagerDuty(team: string | undefined): Pager {
    if (!this.pagerduty) {
      throw new SitrepError('unavailable', `Team "${team}" pages through PagerDuty, but PagerDuty is not set up in this sitrep. Check PAGERDUTY_EVENTS_URL.`);
    }
    return this.pagerduty;
  }

  private pagedText(incident: Incident, page: PageState): string {
    const lines: string[] = [];
    const who = page.targets.map((a) => this.mention(incident, a)).join(', ');
    if (page.provider === 'pagerduty') {
      lines.push(`:pager: Paged *${page.team}* through PagerDuty${who ? ` (on call: ${who})` : ''}.`);
    } else if (page.targets.length === 0) {
      lines.push(`:warning: Nobody is on call at level ${page.level + 1} for *${page.team}*; escalating to the next level now.`);
    } else {
      const due = page.nextEscalationAt && page.deliveredAt ? ` Escalates in ${durationText(Date.parse(page.nextEscalationAt) - Date.parse(page.deliveredAt))} if nobody acknowledges.` : '';
      const message = page.message ? `: ${page.message.trim()}${/[.!?…]$/.test(page.message.trim()) ? '' : '.'}` : '.';
      lines.push(`:pager: Paged ${who} (${scopeText(page)})${message}${page.level > 0 || page.pass > 0 ? '' : due}`);
    }
    if (page.unreachable.length) {
      // The fix is the operator's (oncall.yaml): the hint goes to the log, the room hears what it means.
      const field = incident.room?.platform === 'teams' ? 'teams' : 'slack';
      this.deps.logger.warn({ incident: incident.id, page: page.id, unreachable: page.unreachable, hint: `add users.<id>.${field} to the on-call file` }, 'on-call people without a chat account');
      lines.push(`Could not page ${page.unreachable.join(', ')}: sitrep does not know their ${field === 'teams' ? 'Teams' : 'Slack'} account. Ask whoever runs sitrep to add it to the on-call schedule.`);
    }
    return lines.join('\n');
  }

  private viewOf(incident: Incident, page: PageState): PageView {
    return { incident, pageId: page.id, level: page.level, ...(page.team ? { team: page.team } : {}), ...(page.message ? { message: page.message } : {}) };
  }

  private async patchPage(incidentId: string, pageId: string, change: (page: PageState) => PageState | null): Promise<Incident> {
    const result = await this.deps.store.update(incidentId, (cur) => {
      const page = findPage(cur, pageId);
      const next = page && change(page);
      return next ? { incident: withPage(cur, next), events: [] } : null;
    });
    return result.incident;
  }

  /** A line in the incident channel (not threaded: whether someone is coming matters to everyone there). */
  private async say(incident: Incident, text: string): Promise<void> {
    if (incident.room) await this.chatOf(incident).post(incident.room, text);
  }

  private chatOf(incident: Incident): ChatPort {
    return chatFor(this.deps, platformOf(incident));
  }

  private mention(incident: Incident, actor: Actor): string {
    const chat = this.deps.chats[platformOf(incident)];
    return chat && actor.platform === platformOf(incident) ? chat.mention(actor) : (actor.name ?? actor.id);
  }
}

function platformOf(incident: Incident): Platform {
  return incident.room?.platform ?? (incident.declaredBy.platform === 'teams' ? 'teams' : 'slack');
}

function newPageId(): string {
  return `pg-${randomBytes(5).toString('hex')}`;
}

/** One "paged" per person (or PagerDuty trigger) reached at a level: its key makes a retried commit a no-op. */
function pagedEvent(page: PageState, at: Position, actor: Actor, users: Actor[]): NewTimelineEvent {
  const who = page.provider === 'pagerduty' ? 'pagerduty' : users.map((u) => u.id).join(',');
  return {
    type: 'paged',
    actor,
    key: `page:${page.id}:${positionKey(at)}:${who}`,
    pageId: page.id,
    target: { ...(page.team ? { team: page.team } : {}), users },
    level: at.level,
    provider: page.provider,
    ...(page.message ? { message: page.message } : {}),
  };
}

/** Job positions are ordered by pass, then level. */
function isBefore(page: Position, job: Position): boolean {
  return page.pass < job.pass || (page.pass === job.pass && page.level < job.level);
}

/**
 * A delivery ran before the page (or its move to this level) was committed: it is scheduled first on purpose,
 * so a crash cannot leave a recorded page with nothing to send it, and a very slow commit can let its safety
 * net run out first. BullMQ retries it shortly; not a failure.
 */
export class PageNotRecordedYet extends Error {
  override readonly name = 'PageNotRecordedYet';
  constructor(job: PagingJob) {
    super(`page ${job.pageId} is not at level ${job.level + 1} yet`);
  }
}
