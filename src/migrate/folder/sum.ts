/**
 * The sum file of a schema's migrations (`migrations/<schema>/dbkit.sum`),
 * after Atlas's atlas.sum: a first line with the hash of everything, then
 * one line per migration with a hash chained over the name and every file of
 * that migration and of all migrations before it. Two branches that each add
 * a migration both change the first line and append a line at the end, so
 * git reports a conflict when they are merged; a migration edited, added or
 * removed without dbkit makes the folder disagree with its sum, and dbkit
 * refuses it (exit 2) until `dbkit hash` records the folder as it is.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../shared/errors.js';
import { migrationsRoot } from '../../shared/paths.js';
import { listMigrationDirs, schemaDir, shown, type MigrationDir } from './folder.js';
import { SUM_FILE } from './format.js';

export interface SumLine {
  name: string;
  hash: string;
}

export interface Sum {
  total: string;
  migrations: SumLine[];
}

const h1 = (h: Hash): string => `h1:${h.digest('base64')}`;

/** Files of a migration directory, sorted; text with CRLF line ends is hashed as LF (a checkout on Windows). */
function feedMigration(h: Hash, md: MigrationDir): void {
  h.update(`${md.name}\n`);
  const files = fs
    .readdirSync(md.dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  for (const f of files) {
    h.update(`${f}\n`);
    h.update(fs.readFileSync(path.join(md.dir, f), 'utf8').replace(/\r\n/g, '\n'));
    h.update('\n');
  }
}

/** The sum of a list of migration directories, in order. */
export function computeSum(dirs: readonly MigrationDir[]): Sum {
  const h = createHash('sha256');
  const migrations: SumLine[] = [];
  for (const md of dirs) {
    feedMigration(h, md);
    migrations.push({ name: md.name, hash: h1(h.copy()) });
  }
  // The first line hashes the lines below it: two folders that differ anywhere differ there.
  const total = createHash('sha256').update(`${migrations.length}\n`);
  for (const m of migrations) total.update(`${m.name} ${m.hash}\n`);
  return { total: h1(total), migrations };
}

export const renderSum = (sum: Sum): string => [sum.total, ...sum.migrations.map((m) => `${m.name} ${m.hash}`)].join('\n') + '\n';

const CONFLICT = /^(<{7}|={7}|>{7})/m;

export function parseSum(text: string): Sum | null {
  const lines = text.replace(/\r\n/g, '\n').split('\n').filter((l) => l.trim() !== '');
  const total = lines[0];
  if (!total?.startsWith('h1:')) return null;
  const migrations: SumLine[] = [];
  for (const l of lines.slice(1)) {
    const m = /^(\S+) (h1:\S+)$/.exec(l.trim());
    if (!m) return null;
    migrations.push({ name: m[1]!, hash: m[2]! });
  }
  return { total, migrations };
}

/** Recompute and write the sum of a schema's folder; returns the number of migrations it covers. */
export function writeSum(schemaName: string, root = migrationsRoot()): number {
  const dirs = listMigrationDirs(schemaName, root);
  fs.mkdirSync(schemaDir(schemaName, root), { recursive: true });
  const file = path.join(schemaDir(schemaName, root), SUM_FILE);
  if (fs.existsSync(file) && !fs.statSync(file).isFile()) throw new UsageError(`${shown(file, root)} is not a file (a directory?): move it away, then run dbkit hash again`);
  fs.writeFileSync(path.join(schemaDir(schemaName, root), SUM_FILE), renderSum(computeSum(dirs)));
  return dirs.length;
}

/** The folder's migrations disagree with its sum file. Exit 2. */
export class SumMismatchError extends UsageError {}

/** Why a folder disagrees with its sum, or null when it agrees. */
export function sumProblem(schemaName: string, root = migrationsRoot()): string | null {
  const dirs = listMigrationDirs(schemaName, root);
  const file = path.join(schemaDir(schemaName, root), SUM_FILE);
  if (!fs.existsSync(file)) return dirs.length ? `${shown(file, root)} is missing` : null;
  const stat = fs.statSync(file);
  if (!stat.isFile()) return `${shown(file, root)} is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}, not a sum file (move it away)`;
  const text = fs.readFileSync(file, 'utf8');
  if (CONFLICT.test(text)) return `${shown(file, root)} has merge conflict markers (two branches each added migrations)`;
  const recorded = parseSum(text);
  if (!recorded) return `${shown(file, root)} is not a sum file`;
  const actual = computeSum(dirs);
  if (recorded.total === actual.total && recorded.migrations.length === actual.migrations.length) {
    if (recorded.migrations.every((m, i) => m.name === actual.migrations[i]!.name && m.hash === actual.migrations[i]!.hash)) return null;
  }
  const names = new Set(dirs.map((d) => d.name));
  const listed = new Set(recorded.migrations.map((m) => m.name));
  const added = dirs.filter((d) => !listed.has(d.name)).map((d) => d.name);
  const removed = recorded.migrations.filter((m) => !names.has(m.name)).map((m) => m.name);
  if (added.length) return `${added.join(', ')} ${added.length > 1 ? 'are' : 'is'} not in ${shown(file, root)}`;
  if (removed.length) return `${removed.join(', ')} ${removed.length > 1 ? 'are' : 'is'} in ${shown(file, root)} but not in the folder`;
  const first = actual.migrations.find((m, i) => recorded.migrations[i]?.name !== m.name || recorded.migrations[i]?.hash !== m.hash);
  return first ? `${first.name} (${shown(path.join(schemaDir(schemaName, root), first.name), root)}) differs from what ${shown(file, root)} records` : `${shown(file, root)} does not match the folder`;
}

/** The command that records a folder as it is. */
export const hashCommand = (schemaName: string): string => `dbkit hash --schema ${schemaName}`;

/** Throws SumMismatchError (exit 2) unless the folder agrees with its sum. */
export function verifySum(schemaName: string, root = migrationsRoot()): void {
  const problem = sumProblem(schemaName, root);
  if (!problem) return;
  throw new SumMismatchError(
    `the migrations of ${schemaName} do not match their sum file: ${problem}. Migrations are changed only by dbkit make; ` +
      `once the change is intended (a merge resolved, migrations in timestamp order), record it with ${hashCommand(schemaName)}`,
  );
}
