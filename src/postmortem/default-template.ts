/**
 * The postmortem template that ships with sitrep. It is a module rather than a file next to the code so
 * it resolves the same from src/ (tsx) and dist/ (built). templates/postmortem.md is a copy for teams to
 * start their own from (a test keeps the two identical).
 */
export const DEFAULT_TEMPLATE = `# {{label}}: {{title}} — postmortem (draft)

> This is a **blameless** postmortem, drafted by sitrep from the incident timeline. It describes what the systems and the process did; people appear as roles and actors, never as causes. Fill in every ✏️ prompt and confirm the hypotheses before you publish it.

{{header}}

## Summary

{{summary}}

## Impact

{{impact}}

## Response metrics

{{metrics}}

Status updates: {{status_updates}}

## Suspected origin

{{origin}}

## Changes before the incident

{{changes}}

## Contributing factors

{{contributing_factors}}

## What went well

{{went_well}}

## What went poorly

{{went_poorly}}

## Where we got lucky

{{got_lucky}}

## 5 Whys

{{five_whys}}

## Action items

{{action_items}}

## Incident checklist

{{checklist}}

## Blameless language check

{{language_check}}

## Timeline

{{timeline}}

---

{{generated}}
`;
