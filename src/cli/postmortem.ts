// `sitrep postmortem <number>`: the postmortem of an incident, from Redis, as Markdown or a self-contained
// HTML file — for incidents whose room is gone, for archiving, or to draft again after a template change.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadDotEnv, VARIABLES } from '../config.js';
import { incidentIdFor } from '../domain/incident.js';
import { silentLogger } from '../log.js';
import { htmlDocument } from '../postmortem/html.js';
import { draftPostmortem, postmortemTitle } from '../postmortem/render.js';
import { PLACEHOLDERS, SECTIONS } from '../postmortem/sections.js';
import { loadTemplate } from '../postmortem/template.js';
import { RedisIncidentStore } from '../store/incident-store.js';
import { PostmortemStore } from '../store/postmortems.js';
import { PostmortemEdits } from '../store/postmortem-edits.js';
import { applyAnswers } from '../postmortem/prompts.js';
import { connectRedis, type RedisClient } from '../store/redis.js';
import { failFor, knownFailure, writeOutput } from './output.js';

const USAGE = `usage: sitrep postmortem <incident-number> [options]

Exports the postmortem of an incident from Redis, drafted from the incident and its timeline as they
are now (or, with --stored, the draft last shared in the incident room), with the answers people wrote
to its prompts in the web console.

options:
  --format md|html  Markdown (default) or a self-contained HTML document
  --out <file>      write to this file instead of standard output
  --stored          the stored draft as it was shared, instead of drafting again
  --placeholders    list the {{placeholders}} a POSTMORTEM_TEMPLATE may use
  -h, --help        this help

Reads REDIS_URL, REDIS_KEY_PREFIX, TIME_ZONE, SEVERITY_LABELS and POSTMORTEM_TEMPLATE from the
environment or .env, like the bot. Exit status: 0 ok, 1 not found / Redis unreachable / bad template
or settings, 2 bad arguments.`;

const Settings = z.object({
  REDIS_URL: VARIABLES.REDIS_URL.schema,
  REDIS_KEY_PREFIX: VARIABLES.REDIS_KEY_PREFIX.schema,
  TIME_ZONE: VARIABLES.TIME_ZONE.schema,
  SEVERITY_LABELS: VARIABLES.SEVERITY_LABELS.schema,
  POSTMORTEM_TEMPLATE: VARIABLES.POSTMORTEM_TEMPLATE.schema,
});

const fail = failFor('postmortem');

export async function run(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.values.placeholders) {
    const width = Math.max(...PLACEHOLDERS.map((p) => p.length)) + 4;
    console.log(PLACEHOLDERS.map((p) => `{{${p}}}`.padEnd(width) + SECTIONS[p].doc).join('\n'));
    return 0;
  }
  const format = args.values.format;
  if (format !== 'md' && format !== 'html') return fail(`--format must be md or html (got "${format}")`, 2);
  if (args.positionals.length !== 1) return fail(`name one incident number, e.g. sitrep postmortem 42\n\n${USAGE}`, 2);
  const number = Number(/^(?:inc-?)?(\d+)$/i.exec(args.positionals[0] ?? '')?.[1]);
  if (!Number.isSafeInteger(number) || number <= 0) return fail(`"${args.positionals[0]}" is not an incident number; write 42 or INC-42`, 2);

  loadDotEnv();
  const env = Object.fromEntries(Object.keys(Settings.shape).map((k) => [k, process.env[k] === '' ? undefined : process.env[k]]));
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    return fail(`the settings have problems:\n${lines.join('\n')}`, 1);
  }
  const settings = parsed.data;

  let redis: RedisClient | undefined;
  try {
    const template = loadTemplate(settings.POSTMORTEM_TEMPLATE);
    redis = await connectRedis({ url: settings.REDIS_URL }, silentLogger);
    const store = new RedisIncidentStore(redis, settings.REDIS_KEY_PREFIX);
    const incident = await store.get(incidentIdFor(number));
    if (!incident) return fail(`INC-${number} is not in Redis under the prefix "${settings.REDIS_KEY_PREFIX}" (check REDIS_URL and REDIS_KEY_PREFIX)`, 1);

    let markdown: string;
    if (args.values.stored) {
      const stored = await new PostmortemStore(redis, settings.REDIS_KEY_PREFIX).get(incident.id);
      if (!stored) return fail(`INC-${number} has no stored postmortem draft yet; run without --stored to draft one from the timeline`, 1);
      markdown = stored.markdown;
    } else {
      const timeline = await store.timeline(incident.id);
      markdown = draftPostmortem(
        { incident, timeline, severityLabels: settings.SEVERITY_LABELS, timeZone: settings.TIME_ZONE, generatedAt: new Date().toISOString() },
        template,
      ).markdown;
    }
    // With the answers people wrote to its prompts in the web console, as the console's downloads have them.
    markdown = applyAnswers(markdown, await new PostmortemEdits(redis, settings.REDIS_KEY_PREFIX).answers(incident.id));
    const output = format === 'html' ? htmlDocument(markdown, postmortemTitle(incident)) : markdown;

    await writeOutput(output, args.values.out, `the INC-${number} postmortem (${format}, ${Buffer.byteLength(output)} bytes)`);
    return 0;
  } catch (err) {
    return knownFailure(err, args.values.out, fail);
  } finally {
    redis?.disconnect();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'md' },
      out: { type: 'string' },
      stored: { type: 'boolean', default: false },
      placeholders: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
