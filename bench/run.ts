// `npm run bench`: runs every benchmark in turn, each in its own process, then prints one table of
// every figure against the floor it measured in the same run (bench/floor.ts).
// One benchmark: `npx tsx bench/<name>.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable, type Ratio } from './floor.js';

const BENCHES = ['timeline', 'declare', 'triage', 'triage-window', 'triage-accuracy', 'trace-picture', 'postmortem', 'escalation', 'alert-storm', 'alert-to-page', 'insights', 'console', 'startup'];
const only = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'sitrep-bench-'));
const resultsFile = join(dir, 'ratios.jsonl');
let failed = 0;
for (const name of BENCHES) {
  const file = `bench/${name}.ts`;
  if (!existsSync(file) || (only.length && !only.includes(name))) continue;
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', env: { ...process.env, SITREP_BENCH_RESULTS: resultsFile } });
  if (run.status !== 0) {
    failed++;
    console.log(`(${name} exited with ${run.status})`);
  }
}
const results: Ratio[] = existsSync(resultsFile)
  ? readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ratio)
  : [];
rmSync(dir, { recursive: true, force: true });
console.log('\n=== every figure against its floor (median ratio of interleaved rounds) ===');
printTable(results);
const tally = (goalBy: Ratio['goalBy']) => {
  const set = results.filter((r) => r.goalBy === goalBy);
  const missed = set.filter((r) => !r.ok).length;
  return `${set.length - missed} of ${set.length} ok${missed ? `, ${missed} MISSED` : ''}`;
};
// "(ours)": a ratio goal we set where the issue gave only an absolute one (shown in that bench's output).
console.log(`\nthe issues' ratio goals: ${tally('issue')}; our own ratio goals: ${tally('ours')}${failed ? `; ${failed} benchmark(s) failed to run` : ''}`);
process.exitCode = failed ? 1 : 0;
