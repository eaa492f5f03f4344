// `npm run bench`: runs every benchmark in turn, each in its own process, and prints their figures.
// One benchmark: `npx tsx bench/<name>.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const BENCHES = ['timeline', 'declare', 'triage', 'triage-window', 'triage-accuracy', 'postmortem', 'escalation', 'alert-storm', 'insights', 'console'];
let failed = 0;
for (const name of BENCHES) {
  const file = `bench/${name}.ts`;
  if (!existsSync(file)) continue;
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.log(`(${name} exited with ${run.status})`);
  }
}
process.exitCode = failed ? 1 : 0;
