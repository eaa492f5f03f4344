import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root (/work/main in CI). */
export const repoRoot = resolve(here, '../../..');
/** The shared fixtures, copied into the repository (see test/fixtures/shared/README.md). */
export const sharedFixtures = resolve(repoRoot, 'test/fixtures/shared');
export const traceFixture = (name: string): string => resolve(sharedFixtures, 'traces', name);
export const catalogFixture = (name = ''): string => resolve(sharedFixtures, 'catalog', name);
export const ownFixture = (name: string): string => resolve(here, '../fixtures', name);
