/**
 * What an embedded database directory holds before PGlite opens it: nothing
 * yet, a PostgreSQL data directory (and which PostgreSQL made it), or
 * something else. A data directory made by another PostgreSQL major version
 * or catalog version (an older or newer PGlite) cannot be opened: PostgreSQL
 * would refuse, from inside WebAssembly, with a message that says little.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImageManifest } from './image.js';

export interface DataDirVersions {
  /** The major version in PG_VERSION ("18"). */
  pgVersion: string;
  /** From global/pg_control; null when it cannot be read. */
  controlVersion: number | null;
  catalogVersion: number | null;
}

export type DataDirState =
  | { kind: 'new' } // absent, or an empty directory
  | { kind: 'database'; versions: DataDirVersions }
  | { kind: 'other'; reason: string };

/**
 * pg_control starts with the system identifier (8 bytes), then
 * pg_control_version and catalog_version_no (4 bytes each), in the byte
 * order of the machine that wrote it: WebAssembly is little-endian.
 */
export function readControlVersions(file: string): Pick<DataDirVersions, 'controlVersion' | 'catalogVersion'> {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(16);
      if (fs.readSync(fd, head, 0, 16, 0) < 16) return { controlVersion: null, catalogVersion: null };
      return { controlVersion: head.readUInt32LE(8), catalogVersion: head.readUInt32LE(12) };
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { controlVersion: null, catalogVersion: null };
  }
}

export function inspectDataDir(dir: string): DataDirState {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'new' };
    if (code === 'ENOTDIR') return { kind: 'other', reason: 'it is a file, not a directory' };
    throw err;
  }
  if (!entries.length) return { kind: 'new' };
  if (!entries.includes('PG_VERSION')) {
    return { kind: 'other', reason: 'it is a directory with files in it but no PostgreSQL data directory (no PG_VERSION)' };
  }
  const pgVersion = fs.readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim();
  return { kind: 'database', versions: { pgVersion, ...readControlVersions(path.join(dir, 'global', 'pg_control')) } };
}

/**
 * Why this PGlite cannot open a data directory with these versions, or null
 * when it can. Without an image (no build) there is nothing to compare with.
 */
export function incompatibility(found: DataDirVersions, ours: ImageManifest | null): string | null {
  if (!ours) return null;
  if (found.pgVersion !== ours.pgVersion) {
    const older = Number(found.pgVersion) < Number(ours.pgVersion);
    return `it was made by PostgreSQL ${found.pgVersion} (${older ? 'an older' : 'a newer'} PGlite) and this dbkit's PGlite ${ours.pglite} runs PostgreSQL ${ours.pgVersion}`;
  }
  if (found.controlVersion !== null && found.controlVersion !== ours.controlVersion) {
    return `its pg_control version is ${found.controlVersion} and this dbkit's PGlite ${ours.pglite} needs ${ours.controlVersion}`;
  }
  if (found.catalogVersion !== null && found.catalogVersion !== ours.catalogVersion) {
    return `it was made by another build of PostgreSQL ${found.pgVersion} (catalog version ${found.catalogVersion}; this dbkit's PGlite ${ours.pglite} has ${ours.catalogVersion})`;
  }
  return null;
}
