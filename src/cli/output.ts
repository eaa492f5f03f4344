// What the `npx sitrep` commands share at their edges: the one-line failure, and where the output goes.
import { writeFile } from 'node:fs/promises';
import { isSitrepError } from '../domain/errors.js';

export type Fail = (message: string, code: number) => number;

/** `fail(message, code)` of one command: the line on stderr, named after the command, and the exit code. */
export function failFor(command: string): Fail {
  return (message, code) => {
    console.error(`sitrep ${command}: ${message}`);
    return code;
  };
}

/** Writes `output` to the `--out` file, saying on stderr what was written (`wrote`), or else to stdout. */
export async function writeOutput(output: string, out: string | undefined, wrote: string): Promise<void> {
  if (!out) {
    process.stdout.write(output);
    return;
  }
  await writeFile(out, output, 'utf8');
  console.error(`Wrote ${wrote} to ${out}`);
}

/**
 * A failure a person can act on — sitrep's own errors, an `--out` file that can't be written — becomes its
 * one line and exit 1; anything else is a bug and is thrown on.
 */
export function knownFailure(err: unknown, out: string | undefined, fail: Fail): number {
  if (isSitrepError(err)) return fail(err.userMessage, 1);
  const code = (err as NodeJS.ErrnoException).code;
  if (code && out) return fail(`cannot write ${out} (${code})`, 1);
  throw err;
}
