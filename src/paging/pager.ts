// The port the incident use cases page people through. PagerDuty implements it here; the built-in chat pager
// (DMs in Slack/Teams) implements it on top of the chat port.
import { z } from 'zod';
import type { ResolvedUser } from './config.js';

export const SeveritySchema = z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
export type Severity = z.infer<typeof SeveritySchema>;

export type PageRequest = {
  incident: {
    id: string;
    number: number;
    title: string;
    severity: Severity;
    /** Link to the incident's Slack/Teams channel, shown to whoever is paged. */
    channelUrl?: string;
  };
  /** Team name as in oncall.yaml `teams:`; selects the provider settings (e.g. the PagerDuty routing key). */
  team: string;
  /** Escalation level being paged, counted from 0. */
  level: number;
  /** Who the escalation policy resolved for this level (see resolveLevel). */
  users: ResolvedUser[];
  /** Extra words from whoever asked for the page ("DB failover is stuck"). */
  message?: string;
};

export type PageResult = {
  provider: 'chat' | 'pagerduty';
  /** The provider's handle on this page, e.g. the PagerDuty dedup key; stored so webhooks can be matched. */
  externalKey?: string;
};

/**
 * Which page an acknowledge or resolve is about. The team comes along because providers are stateless:
 * PagerDuty needs the team's routing key for every event, and we keep no memory between processes.
 */
export type PageRef = { incidentId: string; team: string };

export interface Pager {
  page(request: PageRequest): Promise<PageResult>;
  acknowledge(ref: PageRef): Promise<void>;
  resolve(ref: PageRef): Promise<void>;
}
