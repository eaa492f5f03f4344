#!/usr/bin/env node
// `npx sitrep <command>`: each command lives in its own module and is loaded only when asked for,
// so `sitrep triage` never pays for Slack or Teams start-up.
type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  triage: { summary: 'find where a failure starts in trace files and who owns it', load: () => import('./triage.js') },
  oncall: { summary: 'print who is on call now (or --at <time>) for each team', load: () => import('./oncall.js') },
  postmortem: { summary: 'export an incident postmortem from Redis', load: () => import('./postmortem.js') },
  report: { summary: 'MTTA, MTTR, MTBF, team hops… across incidents (md, csv or json)', load: () => import('./report.js') },
  reindex: { summary: 'rebuild the insights summaries from the incident timelines', load: () => import('./reindex.js') },
  'teams-package': { summary: 'zip manifests/teams into an app package to upload', load: () => import('./teams-package.js') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return ['usage: sitrep <command> [options]', '', 'commands:', ...lines, '', 'sitrep <command> --help for details'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`sitrep: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`sitrep: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
