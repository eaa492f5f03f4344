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

/**
 * Loads Backstage entities from files and folders. In a folder, YAML files without a single
 * `apiVersion` (Helm values, CI config) are skipped rather than rejected; a named file must be a catalog.
 */
export async function loadEntities(paths: readonly string[]): Promise<LoadedEntity[]> {
  const entities: LoadedEntity[] = [];
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
      if (isDir && !/^apiVersion\s*:/m.test(text)) continue;
      entities.push(...parseCatalogYaml(text, file));
    }
  }
  return entities;
}

export async function loadOwnershipFiles(paths: readonly string[]): Promise<OwnershipFile[]> {
  const out: OwnershipFile[] = [];
  for (const file of paths) out.push(parseOwnershipYaml(await readText(file), file));
  return out;
}

export async function loadCatalog(paths: CatalogPaths): Promise<OwnershipCatalog> {
  const [entities, ownership] = await Promise.all([loadEntities(paths.catalog ?? []), loadOwnershipFiles(paths.ownership ?? [])]);
  return OwnershipCatalog.from(entities, ownership);
}
