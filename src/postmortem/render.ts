import { incidentLabel, type Incident } from '../domain/incident.js';
import { metricList } from '../domain/metrics.js';
import { digestOf, type PostmortemDigest } from './digest.js';
import { gatherFacts, type PostmortemInput } from './facts.js';
import { SECTIONS } from './sections.js';
import { DEFAULT_POSTMORTEM_TEMPLATE, fillTemplate, type PostmortemTemplate } from './template.js';

export interface Draft {
  markdown: string;
  /** How many blaming phrases the language check found. */
  blamingPhrases: number;
  /** Names of the metrics that could not be measured. */
  notMeasured: string[];
  /** The draft at a glance, for a summary card. */
  digest: PostmortemDigest;
}

/** The postmortem draft as Markdown: the template filled with what the timeline says. */
export function draftPostmortem(input: PostmortemInput, template: PostmortemTemplate = DEFAULT_POSTMORTEM_TEMPLATE): Draft {
  const facts = gatherFacts(input);
  return {
    markdown: fillTemplate(template, (name) => SECTIONS[name].render(facts)),
    blamingPhrases: facts.findings.length,
    notMeasured: metricList(facts.metrics)
      .filter((m) => m.value === undefined)
      .map((m) => m.name),
    digest: digestOf(facts),
  };
}

export function renderMarkdown(input: PostmortemInput, template: PostmortemTemplate = DEFAULT_POSTMORTEM_TEMPLATE): string {
  return draftPostmortem(input, template).markdown;
}

/** "INC-42: Checkout returns 500 — postmortem": the file, page and document title. */
export function postmortemTitle(incident: Pick<Incident, 'number' | 'title'>): string {
  return `${incidentLabel(incident)}: ${incident.title} — postmortem`;
}

export function postmortemFilename(incident: Pick<Incident, 'number'>, extension: 'md' | 'html'): string {
  return `${incidentLabel(incident)}-postmortem.${extension}`;
}
