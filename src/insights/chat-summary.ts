import type { InsightsPort } from '../incidents/deps.js';
import { figure, followedChangeLine, percent, statLine } from './format.js';
import { InsightsQuery } from './report.js';
import type { Insights } from './service.js';

export const CHAT_REPORT_DAYS = 30;

/**
 * The `/incident report [team]` card: the last 30 days in a few lines (Slack mrkdwn, which Teams renders
 * too), with a link to the Insights page when the web console is on.
 */
export function chatInsights(insights: Insights, options: { timeZone: string; pageUrl?: string; now?: () => Date }): InsightsPort {
  return {
    async summary(team?: string): Promise<string> {
      const to = (options.now ?? (() => new Date()))();
      const from = new Date(to.getTime() - CHAT_REPORT_DAYS * 86_400_000);
      const report = await insights.report(InsightsQuery.parse({ from, to, team, timeZone: options.timeZone }));
      const scope = `${team ? `*${team}*, ` : ''}last ${CHAT_REPORT_DAYS} days`;
      const link = options.pageUrl ? `${options.pageUrl}?${new URLSearchParams({ since: `${CHAT_REPORT_DAYS}d`, ...(team ? { team } : {}) }).toString()}` : undefined;
      if (report.incidents === 0) return `*Incident insights* — ${scope}: no resolved incidents.${link ? `\n<${link}|Open Insights>` : ''}`;
      const lines = [`*Incident insights* — ${scope}: ${report.incidents} resolved incident${report.incidents === 1 ? '' : 's'}`];
      for (const m of report.measures) lines.push(`• ${m.name}: ${statLine(m.unit, m.stat)}`);
      const kept = report.firstOwnerKept;
      lines.push(
        `• First suspected team kept: ${percent(kept.share)} (${kept.kept} of ${kept.count})`,
        `• ${followedChangeLine(report)}`,
        `• Pages: ${report.pages.sent} sent, ${report.pages.escalated} reached level 2+, ${report.pages.unanswered} nobody answered`,
        `• By severity: ${Object.entries(report.bySeverity).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ')}`,
      );
      const worst = report.mtbf.find((m) => m.count > 0);
      if (worst) lines.push(`• Most incidents: ${worst.service} (${worst.incidents}, MTBF median ${figure('duration', worst.median)})`);
      if (link) lines.push(`<${link}|Open Insights> for charts and the incidents behind each figure`);
      return lines.join('\n');
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
