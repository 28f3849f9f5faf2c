/**
 * The schema definitions as the checkout has them now, read from their
 * TypeScript sources (`src/schema/registry.ts` and what it imports) without a
 * build: esbuild bundles them in memory and the bundle is imported from a
 * data: URL, as a .ts config file is. Only `dbkit make` and `dbkit check`
 * load this (and esbuild with it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../shared/errors.js';
import { schemaSourceRoot } from '../../shared/paths.js';
import type { SchemaDef } from '../../schema/definition.js';

export async function loadSourceDefinitions(dir = schemaSourceRoot()): Promise<Record<string, SchemaDef>> {
  const entry = path.join(dir, 'registry.ts');
  if (!fs.existsSync(entry)) {
    throw new UsageError(`no schema sources at ${entry}: dbkit make and dbkit check run in a dbkit checkout (or set DBKIT_ROOT to one)`);
  }
  const { build } = await import('esbuild');
  let code: string;
  try {
    const out = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'silent' });
    code = out.outputFiles[0]!.text;
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
    throw new UsageError(`cannot read the schema definitions: ${where}${first?.text ?? (err as Error).message}`, { cause: err });
  }
  let mod: { schemas?: Record<string, SchemaDef> };
  try {
    mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as typeof mod;
  } catch (err) {
    throw new UsageError(`cannot read the schema definitions in ${dir}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (!mod.schemas) throw new UsageError(`${entry} does not export schemas`);
  return mod.schemas;
}

/**
 * A definition as a snapshot stores it: plain JSON, without the rename hints
 * (`renamedFrom` says how the definition came from the previous snapshot; it
 * means nothing once that change is a migration).
 */
export function snapshotOf(def: SchemaDef): SchemaDef {
  return JSON.parse(JSON.stringify(def, (key, value: unknown) => (key === 'renamedFrom' ? undefined : value))) as SchemaDef;
}
