import { randomUUID } from 'node:crypto';
import { SEVERITIES, type Severity, type SeverityLabels } from '../../domain/severity.js';
import { html, type Safe } from '../html.js';

export interface DeclareFormValues {
  title?: string;
  severity?: string;
  team?: string;
  description?: string;
}

export interface DeclareFormOptions {
  labels: SeverityLabels;
  defaultSeverity: Severity;
  /** Teams of oncall.yaml (a list to pick from); free text when there is no on-call configuration. */
  teams?: string[];
  values?: DeclareFormValues;
  error?: string;
}

/** Declaring from the console: for when chat is down, so it says the room opens once the platform is back. */
export function declareForm(options: DeclareFormOptions): Safe {
  const v = options.values ?? {};
  const severity = v.severity ?? options.defaultSeverity;
  const team = v.team ?? '';
  return html`<h1>Declare an incident</h1>
<p>The incident is recorded at once and the owning team is paged. Its chat room opens as soon as Slack or Teams accepts it; if chat is down, that happens when it is back, and the room tells what happened meanwhile.</p>
${options.error ? html`<p class="error" role="alert" id="declare-error">${options.error}</p>` : ''}
<form method="post" action="/incidents" class="declare">
<input type="hidden" name="key" value="${randomUUID()}"><input type="hidden" name="_csrf" value="">
<p><label for="declare-title">Title</label><br><input id="declare-title" name="title" required maxlength="200" size="60" value="${v.title ?? ''}"${options.error ? html` aria-describedby="declare-error"` : ''}></p>
<p><label for="declare-severity">Severity</label><br><select id="declare-severity" name="severity">${SEVERITIES.map(
    (s) => html`<option value="${s}"${s === severity ? html` selected` : ''}>${s} (${options.labels[s]})</option>`,
  )}</select></p>
<p><label for="declare-team">Team to page (optional)</label><br>${
    options.teams
      ? html`<select id="declare-team" name="team"><option value="">nobody yet</option>${options.teams.map((t) => html`<option${t === team ? html` selected` : ''}>${t}</option>`)}</select>`
      : html`<input id="declare-team" name="team" maxlength="100" value="${team}">`
  }</p>
<p><label for="declare-description">What is happening (optional)</label><br><textarea id="declare-description" name="description" rows="4" cols="60" maxlength="3000">${v.description ?? ''}</textarea></p>
<p><button type="submit">Declare incident</button></p>
</form>`;
}
