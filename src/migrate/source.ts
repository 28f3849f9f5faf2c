/**
 * Where dbkit's migrations live and how Knex loads them: compiled modules in
 * `dist/migrations/<schema>/`, named by file name without extension, each
 * called with the migration context and given a checksum.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledMigrationsRoot } from '../paths.js';
import type { Knex } from 'knex';
import type { DbkitMigration, MigrationContext } from './context.js';
import type { MigrationInterrupt } from './interrupt.js';

export interface MigrationFile {
  name: string;
  file: string;
}

export interface LoadedMigration extends MigrationFile {
  module: DbkitMigration;
  checksum: string;
}


const MODULE = /\.(m?js)$/;

export function listMigrationFiles(schemaName: string, root = compiledMigrationsRoot): MigrationFile[] {
  const dir = path.join(root, schemaName);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => MODULE.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => ({ name: f.replace(MODULE, ''), file: path.join(dir, f) }));
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export async function loadMigration(mf: MigrationFile, ctx: MigrationContext): Promise<LoadedMigration> {
  const module = (await import(pathToFileURL(mf.file).href)) as DbkitMigration;
  if (typeof module.up !== 'function' || typeof module.down !== 'function') {
    throw new Error(`migration ${mf.name} must export up() and down()`);
  }
  // A step migration is checksummed by the SQL it runs on this dialect; any other by its file.
  const plan = module.plan?.(ctx);
  const checksum = plan
    ? sha256(`${ctx.dialect}\n${plan.up.join(';\n')}\n-- down\n${plan.down.join(';\n')}`)
    : sha256(fs.readFileSync(mf.file, 'utf8'));
  return { ...mf, module, checksum };
}

export const CHECKSUM_TABLE = 'dbkit_checksums';
/** The checksum column of a migration that started and has not finished. */
export const STARTED = 'started';
export const MIGRATION_TABLE = 'dbkit_migrations';

/** Knex's view of dbkit's migrations: each run in Knex's transaction, its checksum recorded with it. */
export class DbkitMigrationSource implements Knex.MigrationSource<LoadedMigration> {
  constructor(
    private readonly migrations: LoadedMigration[],
    private readonly ctx: MigrationContext,
    private readonly qualify: (table: string) => string,
    private readonly interrupt?: MigrationInterrupt,
    /** Told how long each migration's up took (its statements and bookkeeping, in milliseconds). */
    private readonly onTimed?: (name: string, ms: number) => void,
  ) {}

  async getMigrations(): Promise<LoadedMigration[]> {
    return this.migrations;
  }

  getMigrationName(m: LoadedMigration): string {
    return m.name;
  }

  async getMigration(m: LoadedMigration): Promise<Knex.Migration> {
    const table = this.qualify(CHECKSUM_TABLE);
    return {
      up: async (knex: Knex) => {
        // Interrupted: no new migration starts (the one that would have is rolled back with its transaction).
        this.interrupt?.check();
        await this.interrupt?.track(knex, m.name);
        const started = performance.now();
        // A row here for a migration Knex has not recorded means an earlier
        // run got this far and was killed: MySQL commits DDL as it goes, so
        // CREATE TABLE (and even the checksum update after it) can outlive a
        // run killed before Knex's bookkeeping. The migration cleans up what
        // that run left before running again.
        const prior = (await knex(table).where({ name: m.name }).first('checksum')) as { checksum: string } | undefined;
        if (prior) await m.module.recover?.(knex, this.ctx);
        await knex(table).where({ name: m.name }).delete();
        await knex(table).insert({ name: m.name, checksum: STARTED });
        await m.module.up(knex, this.ctx);
        // On PostgreSQL an interrupt that came during the step still rolls the whole migration back.
        if (this.ctx.dialect === 'postgres') this.interrupt?.check();
        await knex(table).where({ name: m.name }).update({ checksum: m.checksum });
        this.onTimed?.(m.name, Math.round(performance.now() - started));
      },
      down: async (knex: Knex) => {
        await m.module.down(knex, this.ctx);
        await knex(table).where({ name: m.name }).delete();
      },
    };
  }
}
