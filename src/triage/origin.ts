import type { Span } from './span.js';
import { ancestry, childrenOf, durationOf, KIND, type SpanTree } from './tree.js';
import { isCallEdge, latencyProfile, type LatencyProfile, type LatencyUnit } from './latency.js';
import type { Baseline } from './baseline.js';
import { errorSignature } from './signature.js';
import { formatMicros } from './duration.js';

// Follows the error chain from the failing entry point down to where the failure starts: the
// failing span none of whose own (synchronous) calls failed. On the way it undoes the tricks real
// traces play on naive tools: callers that gave up on a slow callee (timeout masking), servers that
// answered 4xx without flagging an error, callees that left no span at all, retries that
// recovered, errors that a caller swallowed, and later failures that are mere fallout.

export type Focus = 'auto' | 'errors' | 'latency';

/** `error` is accepted for `errors`. */
export function parseFocus(text: string): Focus | null {
  if (text === 'error') return 'errors';
  return text === 'auto' || text === 'errors' || text === 'latency' ? text : null;
}

export interface OriginCandidate {
  kind: 'error' | 'latency';
  /** The span carrying the evidence (for a peer-inferred origin: the caller's client span). */
  span: number;
  service: string;
  operation: string;
  inferredFrom: 'span' | 'peer';
  message: string | null;
  /** No ancestor up to the entry point failed: the error was handled. */
  handled: boolean;
  /** The failure is in an asynchronous consumer. */
  async: boolean;
  /** Spans from the root of the trace down to `span`. */
  chain: number[];
  confidence: number;
  reasons: string[];
}

export interface OriginAnalysis {
  primary: OriginCandidate | null;
  alternatives: OriginCandidate[];
}

export interface FindOriginOptions {
  focus?: Focus;
  /** At most this many alternatives (default 5). */
  maxAlternatives?: number;
  /** Traces from before the incident: errors seen as often there are discounted, latency is judged as a shift. */
  baseline?: Baseline;
  /** Overrides the baseline's per-trace test of "this error was there before" (window mode compares rates). */
  usualSignature?: (signature: string) => boolean;
  /** Rank latency suspects even when an error explains the trace (window mode weighs both). */
  rankAll?: boolean;
}

// A child that ran for at least this share of its failing parent "held" the parent until it gave up.
const MASKING_SHARE = 0.8;
const NO_ANSWER = /refused|econn|unreachable|no route|enotfound|eai_again|reset|broken pipe|unavailable|could not connect|connection|time[d ]?\s?out|deadline/i;
const TIMEOUTISH = /time[d ]?\s?out|deadline|timeout|cancel/i;
// Attributes that legitimately differ between a failed attempt and its retry.
const VOLATILE_ATTR = /retry|attempt|resend|thread|time|duration|port|sock|peer\.address|host\.name|status|error|exception/i;

const tick = (s: string): string => `\`${s}\``;

function clamp(x: number): number {
  return Math.round(Math.min(0.95, Math.max(0.05, x)) * 100) / 100;
}

class ErrorChains {
  private readonly spans: readonly Span[];
  private readonly okRetries = new Map<number, Map<string, number>>();
  /** Failed attempts skipped because a retry recovered them, for the reasons. */
  readonly retried = new Set<number>();

  constructor(
    private readonly tree: SpanTree,
    /** Failures that were there before the incident (from a baseline): not evidence. */
    private readonly usual?: (span: number) => boolean,
  ) {
    this.spans = tree.spans;
  }

  flagged(i: number): boolean {
    if (this.tree.failed[i] === 0 || this.usual?.(i)) return false;
    const s = this.spans[i]!;
    // An error logged inside a span whose failed calls a retry recovered ("Retrying GetDriver after
    // error") describes that recovered call, not a failure of its own.
    if (s.status.source === 'event') return !this.loggedRecoveredRetry(i);
    return true;
  }

  private loggedRecoveredRetry(i: number): boolean {
    for (const c of childrenOf(this.tree, i)) if (this.spans[c]!.status.code === 'error' && this.recovered(c)) return true;
    return false;
  }

  /** A server that answered 4xx to a caller whose span failed: by OTel conventions only the caller is flagged. */
  answered4xx(i: number): boolean {
    const { tree } = this;
    // Read the span itself only for a healthy server under a failed call: rare in a large trace.
    const p = tree.parent[i]!;
    if (tree.kind[i] !== KIND.server || tree.failed[i] === 1 || p < 0 || tree.failed[p] === 0) return false;
    const s = this.spans[i]!;
    if (s.httpStatus === null || s.httpStatus < 400 || s.httpStatus >= 500) return false;
    return this.flagged(p) && tree.kind[p] === KIND.client;
  }

  failing(i: number): boolean {
    return this.flagged(i) || this.answered4xx(i) || this.calleeFailed(i);
  }

  /**
   * A call whose callee failed, though the caller's span recorded nothing (an exception logged in
   * the callee, the client span left unset): the failure travelled through this call.
   */
  calleeFailed(i: number): boolean {
    const { tree } = this;
    for (let k = tree.childStart[i]!; k < tree.childStart[i + 1]!; k++) {
      const c = tree.childList[k]!;
      if (tree.failed[c] === 1 && isCallEdge(tree, i, c) && this.flagged(c)) return true;
    }
    return false;
  }

  private signature(i: number): string {
    const s = this.spans[i]!;
    const keys = Object.keys(s.attributes).filter((k) => !VOLATILE_ATTR.test(k)).sort();
    const attrs = keys.map((k) => `${k}=${String(s.attributes[k])}`).join('\u0001');
    return `${s.service}\u0000${s.operation}\u0000${s.kind}\u0000${s.peer ?? ''}\u0000${attrs}`;
  }

  /** A failed attempt that a later, successful call with the same signature under the same parent recovered. */
  recovered(i: number): boolean {
    const p = this.tree.parent[i]!;
    if (p < 0) return false;
    let latestOk = this.okRetries.get(p);
    if (!latestOk) {
      latestOk = new Map();
      for (const c of childrenOf(this.tree, p)) {
        if (this.failing(c)) continue;
        const sig = this.signature(c);
        latestOk.set(sig, Math.max(latestOk.get(sig) ?? -Infinity, this.tree.start[c]!));
      }
      this.okRetries.set(p, latestOk);
    }
    const recovered = (latestOk.get(this.signature(i)) ?? -Infinity) > this.tree.start[i]!;
    if (recovered) this.retried.add(i);
    return recovered;
  }

  /** Failing spans whose parent did not fail (or whose edge to it is asynchronous), minus recovered attempts. */
  tops(): number[] {
    const { tree } = this;
    const tops: number[] = [];
    for (let i = 0; i < this.spans.length; i++) {
      if (!this.failing(i)) continue;
      const p = tree.parent[i]!;
      if (p >= 0 && this.failing(p) && tree.asyncEdge[i] === 0) continue;
      if (!this.recovered(i)) tops.push(i);
    }
    return tops;
  }

  private timeoutish(i: number): boolean {
    const s = this.spans[i]!;
    return (
      TIMEOUTISH.test(s.status.message ?? '') ||
      s.httpStatus === 504 ||
      s.httpStatus === 408 ||
      s.grpcStatus === 4 ||
      s.events.some((e) => TIMEOUTISH.test(String(e.attributes['exception.type'] ?? e.attributes['exception.message'] ?? '')))
    );
  }

  /** The non-failing child that held `n` for nearly all of its time, if `n` only gave up waiting for it. */
  private masking(n: number, alreadyMasked: boolean): number {
    const { tree } = this;
    const dur = durationOf(tree, n);
    if (dur <= 0) return -1;
    let best = -1;
    for (const c of childrenOf(tree, n)) {
      if (tree.asyncEdge[c] || this.failing(c)) continue;
      const cdur = durationOf(tree, c);
      if (cdur < MASKING_SHARE * dur) continue;
      if (!alreadyMasked) {
        const stillRunning = tree.end[c]! >= tree.end[n]!;
        const endedWithParent = tree.end[c]! >= tree.end[n]! - 0.05 * dur;
        if (!(stillRunning || (endedWithParent && this.timeoutish(n)))) continue;
      }
      if (best === -1 || cdur > durationOf(tree, best)) best = c;
    }
    return best;
  }

  /** Walks down from a failing span; see the file comment. */
  descend(from: number): { chain: number[]; fallout: number[]; gaveUp: number; fourxx: number[] } {
    const { tree } = this;
    const chain = [from];
    const fallout: number[] = [];
    const fourxx: number[] = [];
    let gaveUp = -1;
    let n = from;
    for (;;) {
      let pick = -1;
      const kids = childrenOf(tree, n);
      for (const c of kids) {
        // An async consumer cannot have caused its producer's failure.
        if (tree.asyncEdge[c] || !this.failing(c) || this.recovered(c)) continue;
        if (pick === -1) pick = c;
        else if (tree.start[c]! < tree.start[pick]!) {
          fallout.push(pick);
          pick = c;
        } else fallout.push(c);
      }
      if (pick !== -1) {
        if (this.answered4xx(pick)) fourxx.push(pick);
        n = pick;
        chain.push(n);
        continue;
      }
      if (!this.failing(n) && gaveUp === -1) break;
      const held = this.masking(n, gaveUp !== -1);
      if (held === -1) break;
      if (gaveUp === -1) gaveUp = n;
      n = held;
      chain.push(n);
    }
    return { chain, fallout, gaveUp, fourxx };
  }

  hasAsyncAbove(i: number): boolean {
    for (let j = i; j !== -1; j = this.tree.parent[j]!) if (this.tree.asyncEdge[j]) return true;
    return false;
  }
}

type TopClass = 'entry' | 'async' | 'handled';

function classify(chains: ErrorChains, tree: SpanTree, t: number): TopClass {
  if (tree.parent[t] === -1) return 'entry';
  return chains.hasAsyncAbove(t) ? 'async' : 'handled';
}

const BASE: Record<TopClass, number> = { entry: 0.9, async: 0.7, handled: 0.3 };
const RANK: Record<TopClass, number> = { entry: 0, async: 1, handled: 2 };

export function errorCandidates(tree: SpanTree, usual?: Uint8Array): OriginCandidate[] {
  const chains = new ErrorChains(tree, usual ? (i) => usual[i] === 1 : undefined);
  const tops = chains.tops();
  if (tops.length === 0) return [];
  const classes = new Map(tops.map((t) => [t, classify(chains, tree, t)]));
  tops.sort(
    (a, b) =>
      RANK[classes.get(a)!] - RANK[classes.get(b)!] || tree.orphan[a]! - tree.orphan[b]! || tree.start[a]! - tree.start[b]!,
  );
  const spans = tree.spans;
  let statusOnly = true;
  for (let i = 0; i < spans.length && statusOnly; i++) {
    if (tree.failed[i] === 1 && spans[i]!.status.source !== 'http' && spans[i]!.status.source !== 'grpc') statusOnly = false;
  }
  const primaryClass = classes.get(tops[0]!)!;
  const swallowed = tops.filter((t) => classes.get(t) === 'handled').length;

  const out: OriginCandidate[] = [];
  tops.slice(0, 6).forEach((top, rank) => {
    const cls = classes.get(top)!;
    const { chain, fallout, gaveUp, fourxx } = chains.descend(top);
    const candidate = buildErrorCandidate(tree, chains, top, cls, chain, gaveUp, fourxx);
    let confidence = candidate.confidence;
    if (rank === 0) {
      const recovered = chains.retried.size;
      if (recovered > 0) candidate.reasons.push(`ignored ${recovered} failed attempt${recovered > 1 ? 's' : ''} that a retry of the same call recovered`);
      if (cls !== 'handled' && swallowed > 0) {
        candidate.reasons.push(`ignored ${swallowed} error${swallowed > 1 ? 's' : ''} that a caller handled and succeeded anyway`);
      }
      if (statusOnly) {
        candidate.reasons.push('no span carries an error flag: failures were read from HTTP/gRPC status codes');
        confidence -= 0.05;
      }
      if (fallout.length > 0) {
        const first = fallout[0]!;
        const close = Math.abs(tree.start[first]! - tree.start[candidate.span]!) < 1000;
        candidate.reasons.push(
          `${fallout.length} other failing call${fallout.length > 1 ? 's' : ''} (${describe(spans[first]!)}) started later and look${fallout.length > 1 ? '' : 's'} like fallout`,
        );
        confidence -= close ? 0.2 : 0.05;
      }
      const skew = tree.stats.skewCorrected;
      if (skew > 0) candidate.reasons.push(`corrected clock skew on ${skew} span${skew > 1 ? 's' : ''}`);
    } else {
      // Later tops compete with the primary: an extra failing root, an unrelated async failure.
      confidence *= cls === primaryClass ? 0.6 : 0.4;
    }
    candidate.confidence = clamp(confidence);
    out.push(candidate);
    if (rank === 0) {
      for (const f of fallout.slice(0, 3)) {
        const sub = chains.descend(f);
        const alt = buildErrorCandidate(tree, chains, f, cls, [...chain.slice(0, chain.indexOf(tree.parent[f]!) + 1), ...sub.chain], sub.gaveUp, sub.fourxx);
        alt.confidence = clamp(alt.confidence * 0.35);
        alt.reasons.unshift(`started after ${tick(candidate.service)} had already failed: probably fallout`);
        out.push(alt);
      }
      if (candidate.inferredFrom === 'peer' || gaveUp !== -1) {
        const blamed = gaveUp !== -1 ? gaveUp : candidate.span;
        const s = spans[blamed]!;
        out.push({
          ...candidate,
          span: blamed,
          service: s.service,
          operation: s.operation,
          inferredFrom: 'span',
          message: s.status.message,
          chain: ancestry(tree, blamed),
          confidence: clamp(0.25),
          reasons: [`the caller ${tick(s.service)} itself, if the callee was healthy and the fault is in how it called`],
        });
      }
    }
  });
  return out;
}

function describe(s: Span): string {
  return `${s.service} ${s.operation}`;
}

function buildErrorCandidate(
  tree: SpanTree,
  chains: ErrorChains,
  top: number,
  cls: TopClass,
  descent: number[],
  gaveUp: number,
  fourxx: number[],
): OriginCandidate {
  const spans = tree.spans;
  const last = descent[descent.length - 1]!;
  const s = spans[last]!;
  const chain = [...ancestry(tree, top).slice(0, -1), ...descent];
  const reasons: string[] = [];
  let confidence = BASE[cls];
  const entry = spans[chain[0]!]!;

  if (cls === 'entry') {
    if (tree.orphan[top]) {
      reasons.push(`the trace's root span is missing; the chain starts at orphan span ${spans[top]!.spanId}`);
      confidence -= 0.1;
    }
  } else if (cls === 'async') {
    reasons.push(`failure in an asynchronous consumer (${describe(spans[top]!)}); the request that produced the message succeeded`);
  } else {
    const caller = spans[tree.parent[top]!]!;
    reasons.push(`handled error: ${tick(caller.service)} ${caller.operation} and every caller up to the entry point succeeded, so users probably did not see this`);
  }

  for (const f of fourxx) {
    const srv = spans[f]!;
    reasons.push(`${tick(srv.service)} answered HTTP ${srv.httpStatus}; by OpenTelemetry conventions a server does not flag 4xx, only its caller does`);
    confidence -= 0.05;
  }

  let service = s.service;
  let inferredFrom: OriginCandidate['inferredFrom'] = 'span';
  let message = s.status.message ?? (chains.answered4xx(last) ? `HTTP ${s.httpStatus}` : null);
  const calledOut = s.kind === 'client' || s.kind === 'producer';
  const calleeSpan = Array.from(childrenOf(tree, last)).some((c) => spans[c]!.service !== s.service);
  // A database that answered "relation does not exist" is the caller's query going wrong; only a
  // database that did not answer is blamed. Other callees without a span of their own are blamed.
  const isDb = 'db.system' in s.attributes || 'db.system.name' in s.attributes;
  const blameCallee = !isDb || NO_ANSWER.test(s.status.message ?? '') || s.grpcStatus === 14;
  if (calledOut && !calleeSpan && s.peer && s.peer !== s.service && blameCallee) {
    service = s.peer;
    inferredFrom = 'peer';
    confidence -= 0.2;
    reasons.push(
      gaveUp !== -1
        ? `${tick(s.service)} was still waiting on ${tick(s.peer)}, which left no span of its own: blaming the callee the caller named`
        : `${tick(s.service)} called ${tick(s.peer)} but no span came back from it (connection refused or timed out before answering): blaming the callee the caller named`,
    );
  }

  if (cls === 'entry' && descent.length > 1) {
    const services: string[] = [];
    for (const i of descent) if (services[services.length - 1] !== spans[i]!.service) services.push(spans[i]!.service);
    if (inferredFrom === 'peer') services.push(service);
    const onward = services.slice(1);
    reasons.unshift(
      `${tick(entry.service)} ${entry.operation} failed; followed the failing calls${onward.length > 0 ? ` through ${onward.join(' → ')}` : ` within ${entry.service}`}`,
    );
  }

  if (gaveUp !== -1) {
    const g = spans[gaveUp]!;
    const held = formatMicros(durationOf(tree, last));
    reasons.push(
      `timeout masking: ${tick(g.service)} ${g.operation} gave up after ${formatMicros(durationOf(tree, gaveUp))} while ${tick(s.service)} ${s.operation} was still working (${held}); the error hides a slow dependency`,
    );
    message = `${g.status.message ?? 'gave up'} (${g.service} waited ${formatMicros(durationOf(tree, gaveUp))}; ${s.operation} took ${held})`;
    confidence -= 0.15;
  } else if (cls !== 'handled' && inferredFrom === 'span') {
    reasons.push(
      descent.length > 1 || cls === 'entry'
        ? `${tick(s.service)} ${s.operation} failed${message ? ` with '${message}'` : ''} and none of its own calls did`
        : `${tick(s.service)} ${s.operation} failed${message ? ` with '${message}'` : ''}`,
    );
  }

  return {
    kind: 'error',
    span: last,
    service,
    operation: s.operation,
    inferredFrom,
    message,
    handled: cls === 'handled',
    async: cls === 'async',
    chain,
    confidence: clamp(confidence),
    reasons,
  };
}

/**
 * Failing spans whose failure was there before the incident: their signature is usual in the
 * baseline and nothing unusual failed beneath them (an entry span that fails as often as before
 * still leads to a new failure below it).
 */
export function usualFailures(tree: SpanTree, usualSignature: (signature: string) => boolean): Uint8Array {
  const spans = tree.spans;
  const usual = new Uint8Array(spans.length);
  const unusualBelow = new Uint8Array(spans.length);
  for (let k = tree.order.length - 1; k >= 0; k--) {
    const i = tree.order[k]!;
    const s = spans[i]!;
    if (s.status.code === 'error' && !unusualBelow[i]) {
      if (usualSignature(errorSignature(s))) usual[i] = 1;
      else unusualBelow[i] = 1;
    }
    const p = tree.parent[i]!;
    if (p >= 0 && unusualBelow[i] && !tree.asyncEdge[i]) unusualBelow[p] = 1;
  }
  return usual;
}

export type LatencyCandidate = OriginCandidate & { standsOut: boolean; share: number; us: number };

interface ServiceTime {
  service: string;
  us: number;
  /** With a baseline: the excess in multiples of the usual time, summed over the service's stretches. */
  relative: number;
  /** The biggest stretch of it, whose span stands for the service. */
  top: LatencyUnit;
  /** How much time the service usually takes on this path (with a baseline). */
  usualUs: number;
}

/** Attributed time per service, or with a baseline the time above what the service usually took. */
function serviceTimes(profile: LatencyProfile, baseline: Baseline | undefined): ServiceTime[] {
  const by = new Map<string, ServiceTime & { topUs: number }>();
  for (const unit of profile.units) {
    const shift = baseline ? baseline.shift(unit) : { us: unit.us, relative: 0 };
    let entry = by.get(unit.service);
    if (!entry) by.set(unit.service, (entry = { service: unit.service, us: 0, relative: 0, top: unit, topUs: shift.us, usualUs: 0 }));
    entry.us += shift.us;
    entry.relative += shift.relative;
    if (baseline) entry.usualUs += baseline.usualUs(unit) ?? 0;
    if (shift.us > entry.topUs) {
      entry.top = unit;
      entry.topUs = shift.us;
    }
  }
  // Against a baseline, how far from its own normal a service moved ranks it; without one, its time.
  return [...by.values()].sort((a, b) => (baseline ? b.relative - a.relative : 0) || b.us - a.us);
}

// Without a baseline a service stands out when it holds half the request; with one, when it lost at
// least its usual time over again and that shows in the request (2% of it).
const STANDS_OUT_SHARE = 0.5;
const MIN_SHIFT_SHARE = 0.02;
// A slowdown outweighs a handled error when users waited noticeably longer: a tenth of the request.
const OUTWEIGHS_HANDLED_SHARE = 0.1;

export function latencyCandidates(tree: SpanTree, forced: boolean, baseline: Baseline | undefined): LatencyCandidate[] {
  const profile = latencyProfile(tree);
  if (!profile) return [];
  const times = serviceTimes(profile, baseline).filter((t) => t.us > 0);
  const total = profile.totalUs;
  return times.slice(0, 5).map((t, rank) => {
    const span = t.top.span;
    const s = tree.spans[span]!;
    const share = t.us / total;
    const pct = Math.round(share * 100);
    const standsOut = rank === 0 && tree.spans.length > 1 && (baseline ? t.relative >= 1 && share >= MIN_SHIFT_SHARE : share >= STANDS_OUT_SHARE);
    const reasons: string[] = [];
    if (baseline) {
      reasons.push(
        `latency suspect: ${tick(t.service)} took ${formatMicros(t.us)} longer than usual on the critical path (${pct}% of the ${formatMicros(total)} request; usually ${formatMicros(t.usualUs)}, so ${(1 + t.us / Math.max(t.usualUs, 1)).toFixed(1)}× its usual time)`,
      );
    } else {
      reasons.push(
        `latency suspect: ${formatMicros(t.us)} of the ${formatMicros(total)} critical path (${pct}%) is spent in ${tick(t.service)} itself, not in anything it called`,
      );
    }
    if (t.top.role === 'callee') {
      const caller = tree.spans[tree.parent[span]!]!;
      reasons.push(
        `${tick(caller.service)} waited ${formatMicros(baseline ? baseline.excessUs(t.top) || t.top.us : t.top.us)} after ${tick(s.service)} ${s.operation} had finished: the delay is on the callee's response path (its network), not in the caller`,
      );
    }
    if (span === profile.root && t.top.role === 'self') reasons.push('the time is in the entry span itself: uninstrumented work or a missing child span');
    if (!forced && rank === 0 && !standsOut) reasons.push(baseline ? 'nothing stands out against the baseline' : 'nothing stands out: no service holds half of the critical path');
    const strength = baseline ? Math.min(1, t.relative / 4) : share;
    const confidence = clamp((0.25 + 0.5 * strength) * (span === profile.root ? 0.7 : 1) * (rank === 0 ? 1 : 0.6));
    return {
      kind: 'latency' as const,
      span,
      service: t.service,
      operation: s.operation,
      inferredFrom: 'span' as const,
      message: baseline ? `${formatMicros(t.us)} above usual of ${formatMicros(total)} (${pct}%)` : `${formatMicros(t.us)} exclusive of ${formatMicros(total)} (${pct}%)`,
      handled: false,
      async: false,
      chain: ancestry(tree, span),
      confidence,
      reasons,
      standsOut,
      share,
      us: t.us,
    };
  });
}

function strip(c: LatencyCandidate): OriginCandidate {
  const { standsOut: _standsOut, share: _share, us: _us, ...rest } = c;
  return rest;
}

export function findOrigin(tree: SpanTree, options: FindOriginOptions = {}): OriginAnalysis {
  const focus = options.focus ?? 'auto';
  const max = options.maxAlternatives ?? 5;
  const { baseline } = options;
  const usualSignature = options.usualSignature ?? (baseline ? (sig: string) => baseline.usual(sig) : undefined);
  const usual = usualSignature ? usualFailures(tree, usualSignature) : undefined;
  const errors = focus === 'latency' ? [] : errorCandidates(tree, usual);
  const unhandled = errors.length > 0 && !errors[0]!.handled;
  // The critical path is only needed when there is no unhandled error to report.
  const needLatency = focus === 'latency' || (focus === 'auto' && !unhandled) || options.rankAll === true;
  const latency = needLatency ? latencyCandidates(tree, focus === 'latency', baseline) : [];
  const lead = latency[0];

  let primary: OriginCandidate | null = null;
  let rest: OriginCandidate[];
  const laterLatency = latency.map((l) => ({ ...strip(l), confidence: Math.min(l.confidence, 0.5) }));
  if (focus === 'latency') {
    primary = lead ? strip(lead) : null;
    rest = [...latency.slice(1).map(strip), ...errorCandidates(tree, usual)];
  } else if (unhandled) {
    [primary, ...rest] = errors as [OriginCandidate, ...OriginCandidate[]];
    rest.push(...laterLatency);
  } else if (lead?.standsOut && lead.share >= OUTWEIGHS_HANDLED_SHARE && focus === 'auto' && baseline) {
    // Slower than before, and the only errors were handled (or were there before the incident):
    // users felt the slowness. (Without a baseline "slow" is unknown, and the handled error stays first.)
    primary = strip(lead);
    if (errors.length > 0) primary.reasons.push(`the only errors in the trace were handled by their callers (${describe(tree.spans[errors[0]!.span]!)})`);
    rest = [...latency.slice(1).map(strip), ...errors];
  } else if (errors.length > 0) {
    [primary, ...rest] = errors as [OriginCandidate, ...OriginCandidate[]];
    rest.push(...laterLatency);
  } else if (lead && focus === 'auto' && (lead.standsOut || baseline)) {
    // Against a baseline any shift above jitter is evidence, if weak: name it with low confidence.
    primary = { ...strip(lead), confidence: lead.standsOut ? lead.confidence : Math.min(lead.confidence, 0.3) };
    rest = latency.slice(1).map(strip);
  } else {
    rest = latency.map(strip);
  }
  if (usual) {
    const discounted = usual.reduce((n, u) => n + u, 0);
    if (discounted > 0 && primary) primary.reasons.push(`discounted ${discounted} failing span${discounted > 1 ? 's' : ''} whose error occurred as often before the incident`);
  }

  const seen = new Set(primary ? [`${primary.kind}|${primary.service}|${primary.span}`] : []);
  const alternatives: OriginCandidate[] = [];
  for (const c of rest.sort((a, b) => b.confidence - a.confidence)) {
    const key = `${c.kind}|${c.service}|${c.span}`;
    if (seen.has(key)) continue;
    seen.add(key);
    alternatives.push(c);
    if (alternatives.length >= max) break;
  }
  return { primary, alternatives };
}
