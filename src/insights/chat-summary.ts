import { FOLLOWED_CHANGE } from '../domain/insights.js';
import type { InsightsDigest, InsightsPort } from '../incidents/deps.js';
import { figure, percent, statLine } from './format.js';
import { InsightsQuery } from './report.js';
import type { Insights } from './service.js';

export const CHAT_REPORT_DAYS = 30;

/**
 * The `/incident report [team]` card: the last 30 days in a few figures, with a link to the Insights
 * page when the web console is on. The adapters draw it (src/chat/slack/insights-blocks.ts,
 * src/chat/teams/insights-card.ts); `text` is the same in Slack mrkdwn for notifications.
 */
export function chatInsights(insights: Insights, options: { timeZone: string; pageUrl?: string; now?: () => Date }): InsightsPort {
  return {
    async summary(team?: string): Promise<InsightsDigest> {
      const to = (options.now ?? (() => new Date()))();
      const from = new Date(to.getTime() - CHAT_REPORT_DAYS * 86_400_000);
      const report = await insights.report(InsightsQuery.parse({ from, to, team, timeZone: options.timeZone }));
      const title = `Incident insights · ${team ? `${team} · ` : ''}last ${CHAT_REPORT_DAYS} days`;
      const link = options.pageUrl ? `${options.pageUrl}?${new URLSearchParams({ since: `${CHAT_REPORT_DAYS}d`, ...(team ? { team } : {}) }).toString()}` : undefined;
      const scope = `${team ? `*${team}*, ` : ''}last ${CHAT_REPORT_DAYS} days`;
      if (report.incidents === 0) {
        return { title, headline: 'No resolved incidents.', facts: [], link, text: `*Incident insights* — ${scope}: no resolved incidents.${link ? `\n<${link}|Open Insights>` : ''}` };
      }
      const headline = `${report.incidents} resolved incident${report.incidents === 1 ? '' : 's'}`;
      const kept = report.firstOwnerKept;
      const f = report.followedChange;
      const facts = [
        ...report.measures.map((m) => ({ label: m.name, value: statLine(m.unit, m.stat) })),
        { label: 'First suspected team kept', value: `${percent(kept.share)} (${kept.kept} of ${kept.count})` },
        { label: `${FOLLOWED_CHANGE.name} within an hour`, value: `${percent(f.share)} (${f.followed} of ${f.count}${f.notApplicable ? `; ${f.notApplicable} with no changes collected` : ''})` },
        { label: 'Pages', value: `${report.pages.sent} sent, ${report.pages.escalated} reached level 2+, ${report.pages.unanswered} nobody answered` },
        { label: 'By severity', value: Object.entries(report.bySeverity).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ') },
      ];
      const worst = report.mtbf.find((m) => m.count > 0);
      if (worst) facts.push({ label: 'Most incidents', value: `${worst.service} (${worst.incidents}, MTBF median ${figure('duration', worst.median)})` });
      const lines = [`*Incident insights* — ${scope}: ${headline}`, ...facts.map((x) => `• ${x.label}: ${x.value}`)];
      if (link) lines.push(`<${link}|Open Insights> for charts and the incidents behind each figure`);
      return { title, headline, facts, link, text: lines.join('\n') };
    },
  };
}

/**
 * `${PUBLIC_URL}/insights` when the web console is on (WEB_CONSOLE set and not `off`, PUBLIC_URL set):
 * the contract with the console (issue 16), which adds those settings.
 */
export function consoleInsightsUrl(config: { PUBLIC_URL?: string; WEB_CONSOLE?: unknown }): string | undefined {
  const enabled = config.WEB_CONSOLE !== undefined && config.WEB_CONSOLE !== false && config.WEB_CONSOLE !== 'off';
  return enabled && config.PUBLIC_URL ? `${config.PUBLIC_URL.replace(/\/+$/, '')}/insights` : undefined;
}
