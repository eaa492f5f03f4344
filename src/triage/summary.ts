import type { PathHop, TriageResult, TriageVerdict } from './verdict.js';

// One line for chat and the terminal:
// the failure starts in `user-directory` (owned by team-directory): storefront 500 ← checkout 500 ← auth 401 ← user-directory 500 'relation users does not exist' (confidence high 0.85: ...)

function hops(path: PathHop[], message: string | null): string {
  return path
    .map((h, i) => {
      const text = `${h.service} ${h.status}`;
      return i === path.length - 1 && message ? `${text} '${message}'` : text;
    })
    .join(' ← ');
}

function ownerText(v: TriageVerdict): string {
  if (v.owner) return `owned by ${v.owner.team}`;
  if (v.suggestedOwner) return `no owner known for ${v.origin?.service}; nearest known owner on the path: ${v.suggestedOwner.team} via ${v.suggestedOwner.viaService}`;
  return `no owner known for ${v.origin?.service}`;
}

export function formatSummary(result: TriageResult): string {
  if (result.status !== 'found') return `trace ${result.traceId}: ${result.reason}`;
  const o = result.origin;
  if (!o) return `nothing failed in trace ${result.traceId} and nothing stands out on the critical path`;
  const where = `\`${o.service}\` (${ownerText(result)})`;
  const lead =
    o.kind === 'latency'
      ? `latency suspect ${where}`
      : o.handled
        ? `handled error in ${where}, users probably unaffected`
        : o.async
          ? `the failure starts in ${where}, in an asynchronous consumer`
          : `the failure starts in ${where}`;
  const confidence = `confidence ${result.confidenceLevel} ${result.confidence.toFixed(2)}`;
  const why = result.reasons.length > 0 ? `: ${result.reasons.join('; ')}` : '';
  return `${lead}: ${hops(result.path, o.kind === 'error' ? o.message : null)} (${confidence}${why})`;
}
