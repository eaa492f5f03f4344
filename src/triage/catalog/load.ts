import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CatalogError } from '../errors.js';
import { parseCatalogYaml, type LoadedEntity } from './backstage.js';
import { OwnershipCatalog } from './catalog.js';
import { parseOwnershipYaml, type OwnershipFile } from './ownership-file.js';

export interface CatalogPaths {
  /** Backstage catalog files or folders (searched recursively for *.yaml / *.yml). */
  catalog?: readonly string[];
  /** ownership.yaml files. */
  ownership?: readonly string[];
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CatalogError(code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(err)})`, file);
  }
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const d = pending.pop()!;
    for (const entry of await readdir(d, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const p = join(d, entry.name);
      if (entry.isDirectory()) pending.push(p);
      else if (/\.ya?ml$/i.test(entry.name)) out.push(p);
    }
  }
  return out.sort();
}

// An ownership.yaml has no apiVersion and starts its mapping with `services:` or `default:`.
const OWNERSHIP_SHAPE = /^(services|default)\s*:/m;
const BACKSTAGE_SHAPE = /^apiVersion\s*:/m;

/**
 * Loads Backstage entities from files and folders. In a folder, YAML files without a single
 * `apiVersion` (Helm values, CI config) are skipped rather than rejected; a named file must be a catalog.
 */
export async function loadEntities(paths: readonly string[]): Promise<LoadedEntity[]> {
  return (await loadCatalogFiles(paths)).entities;
}

/**
 * Backstage files and ownership.yaml files, told apart by their content, from files and folders.
 */
async function loadCatalogFiles(paths: readonly string[]): Promise<{ entities: LoadedEntity[]; ownership: OwnershipFile[] }> {
  const entities: LoadedEntity[] = [];
  const ownership: OwnershipFile[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      throw new CatalogError('file or folder not found', path);
    }
    const files = isDir ? await yamlFilesUnder(path) : [path];
    for (const file of files) {
      const text = await readText(file);
      if (!BACKSTAGE_SHAPE.test(text) && OWNERSHIP_SHAPE.test(text)) {
        ownership.push(parseOwnershipYaml(text, file));
        continue;
      }
      if (isDir && !BACKSTAGE_SHAPE.test(text)) continue;
      entities.push(...parseCatalogYaml(text, file));
    }
  }
  return { entities, ownership };
}

export async function loadOwnershipFiles(paths: readonly string[]): Promise<OwnershipFile[]> {
  const out: OwnershipFile[] = [];
  for (const file of paths) out.push(parseOwnershipYaml(await readText(file), file));
  return out;
}

export async function loadCatalog(paths: CatalogPaths): Promise<OwnershipCatalog> {
  const [found, ownership] = await Promise.all([loadCatalogFiles(paths.catalog ?? []), loadOwnershipFiles(paths.ownership ?? [])]);
  return OwnershipCatalog.from(found.entities, [...found.ownership, ...ownership]);
}
