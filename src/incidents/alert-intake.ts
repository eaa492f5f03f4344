import type { NormalizedAlert } from '../alerts/alert.js';
import { groupKey } from '../alerts/group-key.js';
import { alertIncidentTitle, differingLabels } from '../alerts/incident-name.js';
import type { AlertRules } from '../alerts/rules-file.js';
import { routeAlert, type RouteAction } from '../alerts/routing.js';
import type { Actor } from '../domain/actor.js';
import type { NewTimelineEvent } from '../domain/timeline.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel, type Incident, type Link, type Platform } from '../domain/incident.js';
import { worstSeverity } from '../domain/severity.js';
import { isOpen } from '../domain/status.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { recordIncident, type DeclareInput } from './declare.js';
import type { IncidentDeps, TriageOutcome, TriagePort } from './deps.js';
import { resolveIncident } from './lifecycle.js';
import { refreshRoom } from './room.js';
import { tryOpenRoom, type RoomOpenings, type RoomTry } from './room-opening.js';
import { startTriageFor } from './triage.js';
import { withRunbooks } from './runbooks.js';

/** What joining an alert to its group found. */
export type GroupJoin =
  /** This call opens the group's incident; the alert is the first in the group's inbox. */
  | { kind: 'claimed'; token: string }
  /** Another call (maybe another bot) is opening it; the alert waits in the inbox and is recorded then. */
  | { kind: 'queued' }
  /** The group's incident, with the alert already counted into it (if it turns out open, record it). */
  | { kind: 'incident'; incidentId: string; tally: AlertTally }
  /** Nothing is open for the group and the alert may not open anything (a resolved alert). */
  | { kind: 'none' }
  /** The group has nothing (no incident, none being opened) and `claimUnbound` was false: nothing was written. */
  | { kind: 'unbound' };

/** An alert counted into an incident. */
export interface AlertTally {
  /** How often the alert fired into the incident (distinct startsAt): N in "fired again (count N)"; 0 if it never did. */
  timesFired: number;
  /** The incident's alerts still firing, this one included. */
  stillFiring: number;
  /** True when this firing was counted: a new startsAt, not a sender's re-notification of one already counted. */
  refired: boolean;
}

/** Alert groups and their fire counts, shared by every bot process. Implemented on Redis in `src/store/alert-groups.ts`. */
export interface AlertGroupStore {
  readonly timings: { claimTtlMs: number };
  /**
   * Puts the alert in its group, atomically across processes: exactly one firing alert claims a group
   * that has no open incident (`stale` names an incident the caller found resolved or closed).
   * `claimUnbound: false` (default true) answers `unbound` for a group that has nothing yet, writing nothing,
   * so the caller can charge the new-incident budget before it claims.
   */
  join(groupKey: string, alert: NormalizedAlert, options: { mayClaim: boolean; stale?: string; claimUnbound?: boolean }): Promise<GroupJoin>;
  /** Keeps a claim alive while the incident is being declared; false when it is no longer ours. */
  extend(groupKey: string, token: string): Promise<boolean>;
  /** The alerts waiting for the group's incident, oldest first (left in place). */
  inbox(groupKey: string): Promise<NormalizedAlert[]>;
  /** Points the group at its incident and hands over the waiting alerts in one step; undefined if the claim was lost. */
  bind(groupKey: string, token: string, incidentId: string): Promise<NormalizedAlert[] | undefined>;
  /** Drops a claim and its inbox (nothing in it could open an incident). */
  release(groupKey: string, token: string): Promise<void>;
  /** Claims groups whose declaring bot stopped (claim expired with alerts waiting). */
  adoptOrphans(now: number): Promise<{ groupKey: string; token: string }[]>;
  /** Of these groups, those with neither an incident nor one being opened: where a firing alert would open one. */
  unbound(groupKeys: string[]): Promise<string[]>;
  /** Counts firings (or resolutions) of alerts into the group's incident, in order, in one step. */
  tally(groupKey: string, incidentId: string, alerts: readonly NormalizedAlert[]): Promise<AlertTally[]>;
}

/** Where a posted alert's firing went: its resolution is threaded under it. */
export interface PostedFiring {
  startsAt: string;
  channel: string;
  messageId: string;
}

/** A post claimed and not done yet: what the retry needs to post it. */
export interface PendingPost {
  alert: NormalizedAlert;
  channel: string;
}

/**
 * Alerts routed to `post`: posted once per firing, resolution once. A claim stays pending until the chat
 * post is done, so a bot that dies (or a chat that refuses) in between leaves it to be taken over, not lost.
 * Implemented on Redis in `src/store/posted-alerts.ts`.
 */
export interface PostedAlerts {
  /**
   * True for the one caller (of any replica) that should post this firing or resolution now: the first, or
   * the first after a claim stayed pending for longer than `staleMs`.
   */
  claim(alert: NormalizedAlert, channel: string): Promise<boolean>;
  /** The post is done; for a firing, where it went (its resolution is threaded under it). */
  posted(alert: NormalizedAlert, firing?: PostedFiring): Promise<void>;
  /** Takes over (for this caller only) up to `limit` posts pending for longer than `staleMs`. */
  takeStale(limit: number): Promise<PendingPost[]>;
  /** The posted firing the resolution belongs to (same startsAt), if any. */
  firing(fingerprint: string, startsAt: string): Promise<PostedFiring | undefined>;
}

export type AlertOutcomeKind =
  | 'declaring' // opened a new incident (declared in the background)
  | 'queued' // joins the incident being opened for its group
  | 'recorded' // added to the group's open incident
  | 'repeat' // a re-notification of a firing already recorded (same startsAt): nothing new to record
  | 'posted'
  | 'ignored'
  | 'not_recorded'; // nothing to add it to (e.g. resolved alert without an open incident)

export interface AlertOutcome {
  fingerprint: string;
  status: NormalizedAlert['status'];
  action: RouteAction;
  outcome: AlertOutcomeKind;
  incidentId?: string;
  /** For people reading the webhook response: why nothing happened, or where it went. */
  detail?: string;
}

/** An alert that joined an open incident, waiting to be put on it (fingerprint, service, links, severity, card). */
export interface AlertJoin {
  alert: NormalizedAlert;
  /** Say in the room that it joined (false for alerts that queued while the incident was being opened). */
  announce: boolean;
}

/**
 * Joined alerts as durable work: gathered for a moment per incident and applied together (a storm gives one
 * card update, not one per alert), retried with capped back-off until applied. BullMQ in src/alerts/join-jobs.ts.
 */
export interface AlertJoins {
  /** Resolves once the join is stored: from then on it is applied whatever happens to this process. */
  add(incidentId: string, join: AlertJoin): Promise<void>;
}

export interface AlertIntakeOptions {
  /** Where alert incidents open (ALERT_PLATFORM). */
  platform: Platform;
  /** Refuses (throws, e.g. 429) a request that would open new incidents for these groups from `source`; see src/server/alert-limits.ts. */
  admitNewIncidents?: (source: string, groupKeys: readonly string[]) => Promise<void>;
  posted: PostedAlerts;
  /** Where joined alerts wait to be applied; default: batched in this process (tests and tools). */
  joins?: AlertJoins;
  /** Alert groups this replica declares incidents for at once (default DECLARES_AT_ONCE). */
  declaresAtOnce?: number;
}

/**
 * A storm opens dozens of groups in a second, and each declaration is a few milliseconds of CPU and a
 * dozen Redis round trips. Two at a time per replica keep the webhooks' answers (which Alertmanager times
 * out and resends) ahead of them; a group waiting its turn keeps its claim, and its alerts wait in its
 * inbox as they would during any declaration. Measured in bench/alert-storm.ts (README → Sizing).
 */
export const DECLARES_AT_ONCE = 2;

const MAX_LINKS = 6;
const ORIGIN_CACHE_MS = 5 * 60_000;
const ORIGIN_CACHE_MAX = 1000;
/** How long joined alerts are gathered before they are applied together. */
export const JOIN_WINDOW_MS = 500;
const BIND_ATTEMPTS = 8;
const BIND_RETRY_FIRST_MS = 200;

const alertActor = (alert: NormalizedAlert): Actor => ({ platform: 'alert', id: alert.source, name: alert.source });

/**
 * Alerts in, incidents out. Decides per alert (route), groups and deduplicates them so one problem is
 * one incident even across replicas, and records repeats and resolutions on the incident's timeline.
 * `receive` returns once every alert is persisted (timeline, or the group's inbox); the slow part —
 * opening the room — is a durable job (`RoomOpenings`) that outlives chat outages, restarts and replicas.
 */
export class AlertIntake {
  private readonly origins = new Map<string, { at: number; result: Promise<TriageOutcome> }>();
  /** Alerts that joined an open incident in the last moment, per incident, not yet on its card. */
  private readonly joining = new Map<string, AlertJoin[]>();
  private readonly declares: ConcurrencyLimit;

  constructor(
    private readonly deps: IncidentDeps,
    private readonly groups: AlertGroupStore,
    private readonly rooms: RoomOpenings,
    private readonly rules: AlertRules,
    private readonly options: AlertIntakeOptions,
  ) {
    this.declares = new ConcurrencyLimit(options.declaresAtOnce ?? DECLARES_AT_ONCE);
  }

  async receive(alerts: readonly NormalizedAlert[]): Promise<AlertOutcome[]> {
    const decisions = alerts.map((alert) => ({ alert, decision: routeAlert(alert, this.rules) }));
    // Refuse before writing anything, so the sender retries once the platform is back.
    if (decisions.some((d) => d.decision.action !== 'ignore') && !this.deps.chats[this.options.platform]) {
      throw new SitrepError('unavailable', `sitrep is not connected to ${this.options.platform}, where alerts go (ALERT_PLATFORM). Connect it or change ALERT_PLATFORM.`);
    }
    const keys = await Promise.all(decisions.map(({ alert, decision }) => (decision.action !== 'ignore' ? this.groupKeyOf(alert) : undefined)));
    // The new-incident budget is charged before anything is written. A webhook of one group routed to
    // incidents (Alertmanager sends one group per notification) learns from its join whether the group is
    // new, in the same round trip; several groups, or alerts that may be posted, are asked up front.
    const groups = new Set(keys.filter((k) => k !== undefined));
    const budgetAtJoin = groups.size === 1 && decisions.every((d) => d.decision.action !== 'post');
    // Only alerts routed to open incidents count against the new-incident limit.
    if (!budgetAtJoin) await this.admit(alerts, keys.map((k, i) => (decisions[i]!.decision.action === 'incident' ? k : undefined)));

    const outcomes: AlertOutcome[] = [];
    // In payload order: a "firing" then "resolved" of one alert must be recorded in that order.
    for (const [i, { alert, decision }] of decisions.entries()) {
      const base = { fingerprint: alert.fingerprint, status: alert.status, action: decision.action };
      if (decision.action === 'ignore') outcomes.push({ ...base, outcome: 'ignored', detail: describeRule(decision.rule) });
      else if (decision.action === 'post') {
        // Once its group has an incident, an alert joins it whatever its own severity (a warning of the same group).
        const joined = await this.joinGroup(alert, keys[i]!, { mayOpen: false });
        if (joined.outcome === 'not_recorded' && !joined.incidentId) outcomes.push({ ...base, ...(await this.post(alert, decision.channel)) });
        else outcomes.push({ ...base, action: 'incident', ...joined });
      }
      else outcomes.push({ ...base, ...(await this.joinGroup(alert, keys[i]!, { mayOpen: true, budgetAtJoin })) });
    }
    return outcomes;
  }

  /** The limit at the door: checked before writing anything, so a refused webhook can be resent whole. */
  private async admit(alerts: readonly NormalizedAlert[], keys: (string | undefined)[]): Promise<void> {
    if (!this.options.admitNewIncidents) return;
    const bySource = new Map<string, Set<string>>();
    for (const [i, alert] of alerts.entries()) {
      const key = keys[i];
      if (key && alert.status === 'firing') bySource.set(alert.source, (bySource.get(alert.source) ?? new Set()).add(key));
    }
    for (const [source, groups] of bySource) {
      const fresh = await this.groups.unbound([...groups]);
      if (fresh.length) await this.options.admitNewIncidents(source, fresh);
    }
  }

  /** The room job's handler: one try at opening an incident's room (see room-opening.ts). */
  readonly openRoom = (incidentId: string, attempt: number): Promise<RoomTry> => tryOpenRoom(this.deps, incidentId, this.options.platform, attempt);

  /** Declares incidents whose declaring bot died; run periodically by every replica. */
  async recoverOrphans(): Promise<number> {
    // Wall-clock time, like the claim deadlines the store writes (not the injectable clock).
    const adopted = await this.groups.adoptOrphans(Date.now());
    for (const { groupKey, token } of adopted) this.startDeclare(groupKey, token);
    return adopted.length;
  }

  private async joinGroup(
    alert: NormalizedAlert,
    key: string,
    options: { mayOpen: boolean; budgetAtJoin?: boolean } = { mayOpen: true },
  ): Promise<Pick<AlertOutcome, 'outcome' | 'incidentId' | 'detail'>> {
    let stale: string | undefined;
    let claimUnbound = !(options.budgetAtJoin && this.options.admitNewIncidents);
    // A lost race (the incident closed, the group was claimed again) only needs another look.
    for (let attempt = 0; attempt < 5; attempt++) {
      const joined = await this.groups.join(key, alert, { mayClaim: options.mayOpen && alert.status === 'firing', stale, claimUnbound });
      switch (joined.kind) {
        case 'unbound':
          // A new group: take it from the budget (429 when spent, with nothing written), then claim it.
          await this.options.admitNewIncidents?.(alert.source, [key]);
          claimUnbound = true;
          attempt--;
          continue;
        case 'claimed':
          this.startDeclare(key, joined.token);
          return { outcome: 'declaring', detail: 'a new incident is being opened for this alert group' };
        case 'queued':
          return { outcome: 'queued', detail: 'joins the incident being opened for this alert group' };
        case 'none':
          return { outcome: 'not_recorded', detail: 'no open incident for this alert group' };
        case 'incident': {
          const { incidentId, tally } = joined;
          // A firing asks beside the write (one round trip): does the incident still wait for its room?
          const waiting = alert.status === 'firing' ? this.rooms.isWaiting(incidentId).catch(() => false) : undefined;
          const recorded = await this.recordWhileOpen(incidentId, alert, tally);
          if (recorded) {
            // The group's incident still has no room (chat refused it so far): this firing is worth a try now.
            if (await waiting) this.deps.background.run('alert-room-nudge', () => this.rooms.nudge(incidentId));
            return recorded;
          }
          // Resolved or closed incidents no longer absorb their group: the next firing opens a new one.
          stale = incidentId;
        }
      }
    }
    throw new SitrepError('conflict', 'This alert group changed too often to record the alert; please retry the webhook.');
  }

  /**
   * Puts one alert, already counted, on its incident's timeline if the incident is still open (checked in
   * the same step as the write), then tells the room in the background. Undefined when the incident is
   * resolved, closed or gone.
   */
  private async recordWhileOpen(incidentId: string, alert: NormalizedAlert, tally: AlertTally): Promise<Pick<AlertOutcome, 'outcome' | 'incidentId' | 'detail'> | undefined> {
    const firing = alert.status === 'firing';
    const event = this.alertEvent(alert, tally);
    if (!event || alert.truncatedAlerts) {
      // Nothing to write (a re-notification, a resolution of an alert that never fired here), or a note first.
      const status = await this.deps.store.statusOf(incidentId);
      if (!status || !isOpen(status)) return undefined;
      if (firing && !tally.refired) return { outcome: 'repeat', incidentId, detail: `already recorded as firing since ${alert.startsAt}` };
      if (alert.truncatedAlerts) await this.noteTruncated(incidentId, alert);
      if (!event) return { outcome: 'not_recorded', incidentId, detail: 'this alert never fired into the open incident of its group' };
    }
    const { appended, status } = await this.deps.store.appendAndStatus(incidentId, [event], { whileOpen: true });
    if (!status || !isOpen(status)) return undefined;
    await this.afterRecorded(incidentId, alert, tally, appended.length > 0, { announce: true });
    return { outcome: 'recorded', incidentId };
  }

  /**
   * Records the alerts that waited in the inbox while their group's incident was being opened: counted in
   * one step and appended in another, in arrival order, however many a storm queued.
   */
  private async recordQueued(key: string, incidentId: string, queued: readonly NormalizedAlert[]): Promise<void> {
    const tallies = await this.groups.tally(key, incidentId, queued);
    const recorded = queued.flatMap((alert, i) => {
      const event = this.alertEvent(alert, tallies[i]!);
      return event ? [{ alert, tally: tallies[i]!, event }] : [];
    });
    const appended = new Set((await this.deps.store.append(incidentId, recorded.map((r) => r.event))).map((e) => e.key));
    for (const { alert, tally, event } of recorded) await this.afterRecorded(incidentId, alert, tally, appended.has(event.key), { announce: false });
  }

  /** A first firing joins the incident's card (batched); a resolution tells the room in the background. */
  private async afterRecorded(incidentId: string, alert: NormalizedAlert, tally: AlertTally, written: boolean, options: { announce: boolean }): Promise<void> {
    if (alert.status === 'firing' && tally.timesFired === 1) await this.joined(incidentId, { alert, announce: options.announce });
    if (alert.status === 'resolved' && written) this.deps.background.run('alert-resolved', () => this.afterResolved(incidentId, alert, tally.stillFiring));
  }

  /** The timeline entry for a counted firing or resolution; undefined when there is nothing new to record. */
  private alertEvent(alert: NormalizedAlert, tally: AlertTally): NewTimelineEvent | undefined {
    const actor = alertActor(alert);
    const { fingerprint, source, title } = alert;
    if (alert.status === 'firing') {
      if (!tally.refired) return undefined;
      const count = tally.timesFired;
      const url = alert.dashboardUrl ?? alert.runbookUrl;
      // The first firing is dated when the alert started (time to detect is measured from it), never in the future.
      const at = count === 1 ? new Date(Math.min(Date.parse(alert.startsAt), this.deps.clock().getTime())).toISOString() : undefined;
      return { type: 'alert_fired', actor, key: `alert:${fingerprint}:fired:${count}`, fingerprint, source, title, count, ...(at ? { at } : {}), ...(alert.service ? { service: alert.service } : {}), ...(url ? { url } : {}) };
    }
    if (tally.timesFired === 0) return undefined;
    return { type: 'alert_resolved', actor, key: `alert:${fingerprint}:resolved:${tally.timesFired}`, fingerprint, source, title };
  }

  /** Alertmanager left alerts of the group out of its notification: the incident says so, once per count. */
  private async noteTruncated(incidentId: string, alert: NormalizedAlert): Promise<void> {
    const n = alert.truncatedAlerts!;
    await this.deps.store.append(incidentId, [
      { type: 'note', actor: alertActor(alert), key: `alert:truncated:${incidentId}:${n}`, text: truncatedText(n) },
    ]);
  }

  private async afterResolved(incidentId: string, alert: NormalizedAlert, stillFiring: number): Promise<void> {
    const incident = await this.deps.store.get(incidentId);
    if (!incident?.room || !isOpen(incident.status)) return;
    const chat = this.deps.chats[incident.room.platform];
    if (!chat) return;
    if (stillFiring > 0) {
      await chat.post(incident.room, `Alert resolved: ${alert.title}. ${stillFiring} alert${stillFiring === 1 ? '' : 's'} of ${incidentLabel(incident)} still firing.`, { threadOf: incident.room.cardId });
      return;
    }
    if (this.rules.autoResolve) {
      await resolveIncident(this.deps, incidentId, alertActor(alert), `alert:auto-resolve:${alert.fingerprint}:${incident.version}`, 'all alerts resolved');
      return;
    }
    await chat.offerResolve(incident.room, incident, `All alerts of ${incidentLabel(incident)} have resolved (last: ${alert.title}). Resolve the incident if the problem is over.`);
  }

  /** A new alert joined an open incident: queued (durably, when `joins` is set) to be applied with its batch. */
  private async joined(incidentId: string, join: AlertJoin): Promise<void> {
    if (this.options.joins) {
      await this.options.joins.add(incidentId, join);
      return;
    }
    const batch = this.joining.get(incidentId);
    if (batch) {
      batch.push(join);
      return;
    }
    const fresh = [join];
    this.joining.set(incidentId, fresh);
    this.deps.background.run('alerts-joined', async () => {
      await new Promise((r) => setTimeout(r, JOIN_WINDOW_MS));
      this.joining.delete(incidentId);
      await this.applyJoins(incidentId, fresh);
    });
  }

  /** The join job's handler: one batch of joined alerts onto their incident. Throws to be retried. */
  readonly applyJoins = async (incidentId: string, joins: readonly AlertJoin[]): Promise<void> => {
    if (!(await this.deps.store.statusOf(incidentId))) return; // deleted meanwhile: nothing to apply to
    await this.absorb(incidentId, joins.map((j) => j.alert), joins.filter((j) => j.announce).map((j) => j.alert));
  };

  /** Puts joined alerts' fingerprints, services and links on the incident (and the card). */
  private async absorb(incidentId: string, alerts: NormalizedAlert[], announced: NormalizedAlert[]): Promise<void> {
    let worse: { alert: NormalizedAlert; heldBy?: Actor } | undefined;
    const result = await this.deps.store.update(incidentId, async (cur) => {
      worse = await this.worseAlert(cur, alerts);
      const raisedBy = worse && !worse.heldBy ? worse.alert : undefined;
      const fingerprints = unique([...cur.alertFingerprints, ...alerts.map((a) => a.fingerprint)]);
      const services = unique([...cur.affectedServices, ...alerts.flatMap((a) => (a.service ? [a.service] : []))]);
      const links = mergeLinks(cur.links, alerts);
      if (!raisedBy && fingerprints.length === cur.alertFingerprints.length && services.length === cur.affectedServices.length && links.length === cur.links.length) return null;
      const next = withRunbooks(this.deps.runbooks, { ...cur, alertFingerprints: fingerprints, affectedServices: services, links });
      if (!raisedBy) return { incident: next, events: [] };
      const to = raisedBy.severity;
      return {
        incident: { ...next, severity: to, highestSeverity: worstSeverity(cur.highestSeverity, to) },
        events: [{ type: 'severity_changed', actor: alertActor(raisedBy), key: `alert:severity:${raisedBy.fingerprint}:${to}`, from: cur.severity, to }],
      };
    });
    for (const alert of alerts) await this.deps.store.bindFingerprint(alert.fingerprint, incidentId);
    const incident = result.incident;
    let severityNote: string | undefined;
    if (worse?.heldBy) severityNote = heldNote(worse.alert, incident.severity, this.chatName(incident, worse.heldBy));
    else if (worse && result.changed && incident.severity === worse.alert.severity) severityNote = raisedNote(worse.alert);
    const note = [joinedNote(announced, incident.alertLabels), severityNote].filter(Boolean).join('\n') || undefined;
    if (result.changed || announced.length || severityNote) await refreshRoom(this.deps, incident, note);
  }

  private chatName(incident: Incident, actor: Actor): string {
    const chat = incident.room ? this.deps.chats[incident.room.platform] : undefined;
    return chat && actor.platform === incident.room?.platform ? chat.mention(actor) : (actor.name ?? actor.id);
  }

  /**
   * The joining alert worse than the incident's severity. It raises the severity unless a person set it
   * (`heldBy`): then people decide, and the room is told the alert would have raised it.
   */
  private async worseAlert(cur: Incident, alerts: NormalizedAlert[]): Promise<{ alert: NormalizedAlert; heldBy?: Actor } | undefined> {
    const worst = alerts.reduce<NormalizedAlert | undefined>((w, a) => (!w || worstSeverity(a.severity, w.severity) === a.severity && a.severity !== w.severity ? a : w), undefined);
    if (!worst || worstSeverity(worst.severity, cur.severity) !== worst.severity || worst.severity === cur.severity) return undefined;
    // Incidents from before `severitySetBy` existed: a severity_changed by someone other than an alert source.
    const heldBy = cur.severitySetBy ?? (await this.deps.store.timeline(cur.id)).find((e) => e.type === 'severity_changed' && e.actor.platform !== 'alert')?.actor;
    return heldBy ? { alert: worst, heldBy } : { alert: worst };
  }

  private startDeclare(key: string, token: string): void {
    this.deps.background.run('alert-declare', () => this.declareGroup(key, token));
  }

  /**
   * The claimer's job: declare the group's incident, bind the group to it, record what queued meanwhile.
   * The claim is kept alive from the start, while the declaration waits its turn too.
   */
  private async declareGroup(key: string, token: string): Promise<void> {
    const heartbeat = setInterval(() => {
      this.groups.extend(key, token).catch((err: unknown) => this.deps.logger.warn({ err, groupKey: key }, 'could not extend alert group claim'));
    }, Math.max(50, Math.floor(this.groups.timings.claimTtlMs / 3)));
    try {
      await this.declares.run(() => this.declareClaimed(key, token));
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async declareClaimed(key: string, token: string): Promise<void> {
    const waiting = await this.groups.inbox(key);
    const firing = waiting.filter((a) => a.status === 'firing');
    if (firing.length === 0) {
      await this.groups.release(key, token); // only resolutions of an incident that never opened
      return;
    }
    const input = this.declareInput(key, token, firing);
    // A bot that died (or a Redis blip) between storing the incident and binding the group left an open
    // incident of this group behind: bind to it instead of opening a second one.
    const earlier = await this.findGroupIncident(key, firing);
    const incident = earlier ?? (await recordIncident(this.deps, input));
    // Scheduled before the group points at the incident: from here on the room opens whatever happens to this process.
    await this.rooms.schedule(incident.id);
    const queued = await this.bindWithRetry(key, token, incident.id);
    if (!queued) {
      this.deps.logger.error({ groupKey: key, incident: incident.id }, 'alert group claim expired while declaring; alerts that arrived meanwhile may open another incident');
      return;
    }
    await this.recordQueued(key, incident.id, queued);
    if (!earlier) startTriageFor({ ...this.deps, triage: this.cachedTriage() }, incident.id, input, input.actor, { autoPage: !input.team });
    this.deps.logger.info({ incident: incident.id, groupKey: key, alerts: queued.length }, 'alert group opened an incident');
  }

  /** The open incident an earlier claim of this group declared, found by the group's first firing alert. */
  private async findGroupIncident(key: string, firing: NormalizedAlert[]): Promise<Incident | undefined> {
    const fingerprints = unique(firing.map((a) => a.fingerprint));
    const ids = await Promise.all(fingerprints.map((fp) => this.deps.store.findByFingerprint(fp)));
    for (const id of ids) {
      if (!id) continue;
      const [first] = await this.deps.store.timeline(id, { limit: 1 });
      if (!first?.key?.startsWith(`alertgroup:${key}:`)) continue;
      const incident = await this.deps.store.get(id);
      if (incident && isOpen(incident.status)) return incident;
    }
    return undefined;
  }

  /**
   * Binding is retried under the same claim (the heartbeat keeps it alive): a Redis blip right after the
   * incident was stored must not leave the group unbound for the sweep to open a second incident.
   */
  private async bindWithRetry(key: string, token: string, incidentId: string): Promise<NormalizedAlert[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.groups.bind(key, token, incidentId);
      } catch (err) {
        if (attempt >= BIND_ATTEMPTS) throw err;
        this.deps.logger.warn({ err, groupKey: key, incident: incidentId, attempt }, 'could not bind alert group to its incident; retrying');
        await new Promise((r) => setTimeout(r, Math.min(BIND_RETRY_FIRST_MS * 2 ** (attempt - 1), this.groups.timings.claimTtlMs / 3)));
      }
    }
  }

  private declareInput(key: string, token: string, firing: NormalizedAlert[]): DeclareInput {
    const lead = firing[0]!;
    const severity = firing.map((a) => a.severity).reduce(worstSeverity);
    const team = firing.map((a) => a.labels[this.rules.teamLabel]?.trim()).find(Boolean);
    const others = firing.length > 1 ? `\n\n${firing.length} alerts in this group: ${unique(firing.map((a) => a.title)).join('; ')}` : '';
    const truncated = Math.max(0, ...firing.map((a) => a.truncatedAlerts ?? 0));
    return {
      title: alertIncidentTitle(firing, this.rules.groupBy),
      severity,
      description: `${lead.summary}${others}${truncated ? `\n\n${truncatedText(truncated)}` : ''}`.trim() || undefined,
      services: unique(firing.flatMap((a) => (a.service ? [a.service] : []))),
      traceId: firing.find((a) => a.traceId)?.traceId,
      startedAt: firing.map((a) => a.startsAt).sort()[0],
      team,
      actor: alertActor(lead),
      platform: this.options.platform,
      source: { kind: 'alert', detail: lead.source },
      key: `alertgroup:${key}:${token}`,
      fingerprints: unique(firing.map((a) => a.fingerprint)),
      alertLabels: lead.labels,
      links: mergeLinks([], firing),
      autoPageSuggestedOwner: true,
    };
  }

  private async post(alert: NormalizedAlert, routeChannel: string | undefined): Promise<Pick<AlertOutcome, 'outcome' | 'detail'>> {
    const channel = routeChannel ?? this.rules.postChannel;
    if (!channel) {
      this.deps.logger.warn({ fingerprint: alert.fingerprint, source: alert.source }, 'alert routed to post, but no channel is configured');
      return { outcome: 'not_recorded', detail: 'routed to post, but no channel is configured: set postChannel in the alert rules file, or channel on the route' };
    }
    // Alertmanager re-sends a firing alert every repeat_interval: post each firing (and its resolution) once.
    if (!(await this.options.posted.claim(alert, channel))) {
      return { outcome: 'repeat', detail: `already posted to ${channel}` };
    }
    // Slack allows about one message per second per channel: never hold the webhook for it.
    this.deps.background.run('alert-post', () => this.deliverPost({ alert, channel }));
    return { outcome: 'posted', detail: `posted to ${channel}` };
  }

  /**
   * Posts a claimed alert, then marks it posted. If this fails (or the bot dies first) the claim stays
   * pending: the next re-notification, or any replica's sweep, takes it over once it is stale.
   */
  private async deliverPost({ alert, channel }: PendingPost): Promise<void> {
    const chat = this.deps.chats[this.options.platform];
    if (!chat) throw new Error(`sitrep is not connected to ${this.options.platform} to post alert ${alert.fingerprint}`);
    const posted = this.options.posted;
    if (alert.status === 'firing') {
      const messageId = await chat.postTo(channel, alertText(alert));
      await posted.posted(alert, { startsAt: alert.startsAt, channel, messageId });
      return;
    }
    const firing = await posted.firing(alert.fingerprint, alert.startsAt);
    if (firing) await chat.post({ platform: this.options.platform, id: firing.channel }, alertText(alert), { threadOf: firing.messageId });
    else await chat.postTo(channel, alertText(alert));
    await posted.posted(alert);
  }

  /** Posts whose claimer died or whose chat post failed, taken over once stale; run periodically by every replica. */
  async retryStalePosts(limit = 50): Promise<number> {
    const stale = await this.options.posted.takeStale(limit);
    for (const pending of stale) {
      this.deps.logger.warn({ fingerprint: pending.alert.fingerprint, channel: pending.channel }, 'posting an alert whose earlier post was not done');
      await this.deliverPost(pending).catch((err: unknown) => this.deps.logger.warn({ err, fingerprint: pending.alert.fingerprint }, 'could not post alert; will retry'));
    }
    return stale.length;
  }

  private async groupKeyOf(alert: NormalizedAlert): Promise<string> {
    const origin = this.rules.groupByOrigin && alert.traceId ? await this.originOf(alert.traceId) : undefined;
    return groupKey(alert, this.rules.groupBy, { origin });
  }

  /** The service where the failure starts, by triage; undefined when triage cannot tell (group by labels then). */
  private async originOf(traceId: string): Promise<string | undefined> {
    const triage = this.cachedTriage();
    if (!triage) return undefined;
    try {
      const result = await triage.run(traceId);
      return result.outcome === 'ok' ? result.service : undefined;
    } catch (err) {
      this.deps.logger.warn({ err, traceId }, 'triage failed while grouping an alert by origin; grouping by labels');
      return undefined;
    }
  }

  /** Triage once per trace: grouping by origin and the incident's own triage read the same trace. */
  private cachedTriage(): TriagePort | undefined {
    const triage = this.deps.triage;
    if (!triage) return undefined;
    return {
      traceUrl: (traceId) => triage.traceUrl(traceId),
      ...(triage.runWindow ? { runWindow: triage.runWindow.bind(triage) } : {}),
      run: (traceId) => {
        const now = Date.now();
        const hit = this.origins.get(traceId);
        if (hit && now - hit.at < ORIGIN_CACHE_MS) return hit.result;
        if (this.origins.size >= ORIGIN_CACHE_MAX) this.origins.delete(this.origins.keys().next().value!);
        const result = triage.run(traceId);
        this.origins.set(traceId, { at: now, result });
        result.catch(() => this.origins.delete(traceId));
        return result;
      },
    };
  }
}

function joinedNote(alerts: NormalizedAlert[], first: Record<string, string> | undefined): string | undefined {
  if (alerts.length === 0) return undefined;
  const names = alerts.slice(0, 10).map((a) => `${a.title}${a.service ? ` (${a.service})` : ''}${differs(a, first)}`);
  const more = alerts.length > names.length ? ` and ${alerts.length - names.length} more` : '';
  return alerts.length === 1 ? `Another alert joined this incident: ${names[0]}` : `${alerts.length} more alerts joined this incident: ${names.join('; ')}${more}`;
}

/** ` — instance=10.0.0.7:9100, pod=api-2`: what sets a joining alert apart from the incident's first one. */
function differs(alert: NormalizedAlert, first: Record<string, string> | undefined): string {
  if (!first) return '';
  const labels = differingLabels(first, alert);
  if (!labels.length) return '';
  const shown = labels.slice(0, 4).map(([k, v]) => `${k}=${v}`).join(', ');
  return ` — ${shown}${labels.length > 4 ? `, +${labels.length - 4} more` : ''}`;
}

function truncatedText(n: number): string {
  return `Alertmanager left ${n} more alert${n === 1 ? '' : 's'} of this group out of its notification (max_alerts): see Alertmanager for all of them.`;
}

function heldNote(alert: NormalizedAlert, severity: string, by: string): string {
  return `${alert.title}${alert.service ? ` (${alert.service})` : ''} joined at ${alert.severity}; the severity stays ${severity} because ${by} set it.`;
}

function raisedNote(alert: NormalizedAlert): string {
  const level = alert.labels.severity ? ` (severity="${alert.labels.severity}")` : '';
  return `Severity raised to ${alert.severity}: ${alert.title}${alert.service ? ` (${alert.service})` : ''} joined at ${alert.severity}${level}.`;
}

function describeRule(rule: number | null): string {
  return rule === null ? 'ignored by the default routes' : `ignored by routes[${rule}] of the alert rules file`;
}

function alertText(alert: NormalizedAlert): string {
  const state = alert.status === 'firing' ? `${alert.severity} alert` : 'Resolved';
  const lines = [`${state}: ${alert.title}${alert.service ? ` (${alert.service})` : ''} — from ${alert.source}`];
  if (alert.summary) lines.push(alert.summary);
  // Alerts of one rule differ only in their labels (pod, instance…): show them so each post says which one.
  const labels = Object.entries(alert.labels).filter(([k]) => k !== 'alertname' && k !== 'severity');
  if (labels.length) lines.push(`Labels: ${labels.slice(0, 8).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const links = [alert.runbookUrl && `Runbook: ${alert.runbookUrl}`, alert.dashboardUrl && `Dashboard: ${alert.dashboardUrl}`].filter(Boolean);
  if (links.length) lines.push(links.join(' · '));
  return lines.join('\n');
}

function mergeLinks(existing: Link[], alerts: NormalizedAlert[]): Link[] {
  const links = [...existing];
  for (const alert of alerts) {
    for (const [label, url] of [
      ['Runbook', alert.runbookUrl],
      ['Dashboard', alert.dashboardUrl],
    ] as const) {
      if (!url || links.length >= MAX_LINKS || links.some((l) => l.url === url)) continue;
      links.push({ label: links.some((l) => l.label === label) ? `${label}: ${alert.title}` : label, url });
    }
  }
  return links;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
