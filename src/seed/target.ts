/**
 * What the seeder needs to know about, and do to, the target tables before
 * loading: which exist, which hold rows, how many users there are, where
 * MySQL ids continue, and how to empty them. One statement each, whatever
 * the number of tables.
 */
import { dialectFor } from '../engines/sql-dialects.js';
import type { SeedSql } from '../port/seed.js';
import { SqlError } from '../shared/errors.js';
import type { Sql } from '../db/sql.js';
import type { Dialect } from '../schema/model.js';
import type { Hop } from '../rows/coverage.js';
import { boundStatement, tagLockWait, withBoundedWaits, type LockNeed, type WaitPlace } from './lock-wait.js';

const seedSqlOf = (dialect: Dialect): SeedSql => dialectFor(dialect).seedSql;

const TAKING_BACK = "taking back the run's rows";

/** A single-column foreign key to a parent's `id`. */
export interface ForeignKeyRef {
  table: string;
  column: string;
  parent: string;
}

/** dbkit's default --lock-timeout. */
const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

export class SeedTarget {
  private readonly ident: (name: string) => string;
  /** The dialect's SQL for seeding and taking a run back. */
  private readonly d: SeedSql;

  constructor(
    private readonly sql: Sql,
    readonly dialect: Dialect,
    readonly namespace: string,
    readonly tables: readonly string[],
    /** How long any statement waits for another session's lock (--lock-timeout; see lock-wait.ts). */
    readonly lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS,
  ) {
    this.ident = dialectFor(dialect).quote;
    this.d = seedSqlOf(dialect);
  }

  /** Where this target's statements run, for lock-wait.ts. */
  place(sql: Sql = this.sql): WaitPlace {
    return { sql, dialect: this.dialect, namespace: this.namespace, lockTimeoutMs: this.lockTimeoutMs };
  }

  /** Set while withoutTriggers' transaction is open on this session (its lock waits bounded already). */
  private inTransaction = false;

  /**
   * `fn` with its lock waits bounded by --lock-timeout (see lock-wait.ts), on
   * this session or another of the run's; inside withoutTriggers' transaction,
   * in that transaction.
   */
  private async bounded<T>(tables: readonly string[], need: LockNeed, doing: string, fn: (sql: Sql) => Promise<T>, on: Sql = this.sql): Promise<T> {
    if (!this.inTransaction || on !== this.sql) return withBoundedWaits(this.place(on), tables, need, doing, fn);
    try {
      return await fn(on);
    } catch (err) {
      throw tagLockWait(err, tables, need, doing);
    }
  }

  qualified(table: string): string {
    return `${this.ident(this.namespace)}.${this.ident(table)}`;
  }

  /** Tables of the schema that the namespace lacks. */
  async missingTables(): Promise<string[]> {
    const rows = await this.sql.query<{ name: string }>(this.d.baseTablesSql, [this.namespace]);
    const present = new Set(rows.map((r) => r.name));
    return this.tables.filter((t) => !present.has(t));
  }

  /** Tables that hold at least one row. */
  async filledTables(): Promise<string[]> {
    const parts = this.tables.map((t, i) => `SELECT ${i} AS i, EXISTS (SELECT 1 FROM ${this.qualified(t)}) AS filled`);
    const rows = await this.bounded(this.tables, 'read', 'checking which tables hold rows', (sql) =>
      sql.query<{ i: number | string; filled: boolean | number | string }>(parts.join(' UNION ALL ')),
    );
    return rows.filter((r) => r.filled === true || Number(r.filled) === 1).map((r) => this.tables[Number(r.i)]!);
  }

  /**
   * Foreign keys that some row breaks (`table.column -> parent`), found
   * set-based: one anti-join per key, all in one statement. Run after a
   * load with per-row checks suspended, before committing.
   */
  async brokenForeignKeys(keys: readonly ForeignKeyRef[], pool: readonly Sql[] = [this.sql]): Promise<string[]> {
    // One query per connection of the pool, the keys dealt out among them, all at once (each waiting for a lock at most --lock-timeout).
    const groups = pool.map((sql, g) => ({ sql, keys: keys.map((k, i) => ({ k, i })).filter(({ i }) => i % pool.length === g) }));
    const found = await Promise.all(groups.filter((g) => g.keys.length).map((g) => this.broken(g.sql, g.keys)));
    return found.flat().sort((a, b) => a.i - b.i).map(({ k }) => `${k.table}.${k.column} -> ${k.parent}`);
  }

  private async broken(sql: Sql, keys: { k: ForeignKeyRef; i: number }[]): Promise<{ k: ForeignKeyRef; i: number }[]> {
    const id = this.ident('id');
    const parts = keys.map(({ k, i }) => {
      const col = `c.${this.ident(k.column)}`;
      return (
        `SELECT ${i} AS i, EXISTS (SELECT 1 FROM ${this.qualified(k.table)} c WHERE ${col} IS NOT NULL AND NOT EXISTS ` +
        `(SELECT 1 FROM ${this.qualified(k.parent)} p WHERE p.${id} = ${col})) AS broken`
      );
    });
    const tables = [...new Set(keys.flatMap(({ k }) => [k.table, k.parent]))];
    const rows = await this.bounded(
      tables,
      'read',
      'checking the foreign keys of the rows loaded',
      async (q) => {
        // Right after a bulk load the planner has no statistics and may pick a nested loop over
        // seq scans (minutes on a big table); a hash anti-join is what this check wants.
        const around = this.d.antiJoin;
        if (around) await q.query(around.before);
        const found = await q.query<{ i: number | string; broken: boolean | number | string }>(parts.join(' UNION ALL '));
        if (around) await q.query(around.after);
        return found;
      },
      sql,
    );
    return rows.filter((r) => r.broken === true || Number(r.broken) === 1).map((r) => keys.find(({ i }) => i === Number(r.i))!);
  }

  /** Delete rows of a table by id, 1,000 a statement (rows that cascade from them go with them). */
  async deleteRows(table: string, ids: readonly unknown[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      const sql = `DELETE FROM ${this.qualified(table)} WHERE ${this.ident('id')} IN (${batch.map(() => '?').join(', ')})`;
      await this.bounded([table], 'delete', TAKING_BACK, (q) => q.query(sql, batch));
    }
  }

  /** Whether the engine's cascades from users find every row by index (see UndoSql.deleteByPath): then deleteByPath is not needed. */
  get cascadesByIndex(): boolean {
    return !this.d.deleteByPath;
  }

  /** Delete the rows of `table` that belong to these users, found through its path of foreign keys up to users (one statement). */
  async deleteByPath(table: string, path: readonly Hop[], users: readonly unknown[]): Promise<void> {
    const sql = this.d.deleteByPath;
    if (!users.length || !sql) return;
    await this.bounded([table], 'delete', TAKING_BACK, (q) => q.query(sql(this.namespace, table, path, users.length), users));
  }

  /** Where the engine wants it, fresh planner statistics for these tables (a failure is only reported). */
  async refreshStatistics(tables: readonly string[], debug?: (t: string) => void): Promise<void> {
    const sql = this.d.refreshStatistics?.(tables.map((t) => this.qualified(t)));
    if (sql) await this.sql.query(sql).catch((err: unknown) => debug?.(`seed: ${sql} failed: ${(err as Error).message}`));
  }

  /** Where the engine wants it, the space of a table's deleted rows freed (a failure is only reported). */
  async compact(table: string, debug?: (t: string) => void): Promise<void> {
    const sql = this.d.compact?.(this.qualified(table));
    if (sql) await this.sql.query(sql).catch((err: unknown) => debug?.(`seed: ${sql} failed: ${(err as Error).message}`));
  }

  /** Whether this session may run a transaction with the foreign keys' triggers off (see withoutTriggers). */
  async maySkipTriggers(): Promise<boolean> {
    const off = this.d.withoutTriggers;
    return off ? await off.may(this.sql).catch(() => false) : false;
  }

  /**
   * Run `work` in one transaction with the foreign keys' triggers off (no
   * per-row checks, no cascades: `work` deletes children itself); commit
   * when it returns true, else (or when it throws) roll back. Whether it
   * committed.
   */
  async withoutTriggers(work: () => Promise<boolean>): Promise<boolean> {
    const off = this.d.withoutTriggers;
    if (!off) return false;
    await this.sql.query('BEGIN');
    try {
      await this.sql.query(off.statement);
      const bound = boundStatement(this.dialect, this.lockTimeoutMs);
      if (bound) await this.sql.query(bound);
      this.inTransaction = true;
      let done: boolean;
      try {
        done = await work();
      } finally {
        this.inTransaction = false;
      }
      if (done) {
        await this.sql.query('COMMIT');
        return true;
      }
    } catch (err) {
      await this.sql.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    await this.sql.query('ROLLBACK');
    return false;
  }

  /** How many of these ids a table holds. */
  async countRows(table: string, ids: readonly unknown[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      const [row] = await this.bounded([table], 'read', "counting the run's rows left", (q) =>
        q.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${this.qualified(table)} WHERE ${this.ident('id')} IN (${batch.map(() => '?').join(', ')})`, batch),
      );
      n += Number(row?.n ?? 0);
    }
    return n;
  }

  async count(table: string): Promise<number> {
    const [row] = await this.bounded([table], 'read', `counting the rows of ${table}`, (q) =>
      q.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${this.qualified(table)}`),
    );
    return Number(row?.n ?? 0);
  }

  /** MySQL: the highest id of each table (0 when empty), so explicit ids continue after it. */
  async maxIds(): Promise<Record<string, number>> {
    const parts = this.tables.map((t, i) => `SELECT ${i} AS i, COALESCE(MAX(${this.ident('id')}), 0) AS m FROM ${this.qualified(t)}`);
    const rows = await this.bounded(this.tables, 'read', 'reading where the ids continue', (q) =>
      q.query<{ i: number | string; m: number | string }>(parts.join(' UNION ALL ')),
    );
    return Object.fromEntries(rows.map((r) => [this.tables[Number(r.i)]!, Number(r.m)]));
  }

  /**
   * Empty every table of the schema. PostgreSQL: one TRUNCATE of them all.
   * MySQL: TRUNCATE refuses referenced tables, so children first, with
   * foreign-key checks off for this session only; each table emptied is
   * added to `emptied` as it goes (a failure may leave some emptied).
   */
  async truncate(emptied: string[] = []): Promise<void> {
    const doing = '--truncate emptying the tables';
    const all = this.d.truncateAll;
    if (all) {
      await this.bounded(this.tables, 'all', doing, (q) => q.query(all(this.tables.map((t) => this.qualified(t)))));
      emptied.push(...this.tables);
      return;
    }
    const outside = (await this.d.foreignReferences?.(this.sql, this.namespace, this.tables)) ?? [];
    if (outside.length) {
      throw new SqlError(
        `cannot truncate a table referenced in a foreign key constraint: ${outside.join('; ')}; --truncate empties only the schema's tables ` +
          '(the rows of that table would point at ids the load hands out again): empty or drop them yourself, or seed with --append',
      );
    }
    const checks = this.d.foreignKeyChecks;
    if (checks) await this.sql.query(checks.off);
    try {
      for (const t of [...this.tables].reverse()) {
        await this.bounded([t], 'all', doing, (q) => q.query(`TRUNCATE TABLE ${this.qualified(t)}`));
        emptied.push(t);
      }
    } finally {
      if (checks) await this.sql.query(checks.on);
    }
  }
}
