/**
 * The pure parts of recovery that never wedges (issue 19, item 1): which
 * index a statement builds concurrently and what a stopped build left, the
 * comment that tags migration statements and how the running-work probe
 * recognises them (both engines' catalog rows), the out-of-order refusal,
 * what --adopt picks and checks, stale make locks, and the refusal that no
 * longer says "dbkit did not create it" when a forgotten migration may have.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alterProgress, fromProcessRow, mysqlWorkProbe, RUNNING_WORK as MYSQL_RUNNING_WORK } from '../../dialects/mysql/running-work.js';
import { indexProgress, postgresWorkProbe, RUNNING_WORK as PG_RUNNING_WORK } from '../../dialects/postgres/running-work.js';
import { UsageError } from '../../src/shared/errors.js';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import { pickAdopted } from '../../src/migrate/apply/adopt.js';
import { acceptedDrift } from '../../src/migrate/apply/drift.js';
import { processStart, staleReason, type FolderLockHolder } from '../../src/migrate/author/folder-lock.js';
import { checkOrder, OutOfOrderError } from '../../src/migrate/apply/order.js';
import { conflictError } from '../../src/migrate/apply/ownership.js';
import { concurrentBuilds, concurrentIndex } from '../../src/migrate/apply/recovery.js';
import { describeWork, ourWork, workTag, type ServerStatement } from '../../src/migrate/apply/running-work.js';
import { loadMigrations, type LoadedMigration } from '../../src/migrate/folder/source.js';
import type { MigrationEntry } from '../../src/migrate/apply/state.js';
import type { Operation } from '../../src/plan/operations.js';
import type { DbSchema } from '../../src/schema/model.js';
import { repoRoot } from '../support/cli.js';
import { adoptVerdict, adoptionGaps, decide } from '../support/planners.js';

const pgModel = (): DbSchema => structuredClone(expectedVariant('agents', 'postgres'));
const sessions = (s: DbSchema) => s.tables.find((t) => t.name === 'sessions')!;

describe('a concurrent index build and what it left', () => {
  it('finds the index a statement builds concurrently, quoted or not, UNIQUE or not', () => {
    expect(concurrentIndex('CREATE UNIQUE INDEX CONCURRENTLY "sessions_user_id_title_key" ON "sessions" ("user_id", "title")')).toBe('sessions_user_id_title_key');
    expect(concurrentIndex('CREATE INDEX CONCURRENTLY "a""b" ON "t" ("c")')).toBe('a"b');
    expect(concurrentIndex('create index concurrently if not exists Idx_X on t (c)')).toBe('idx_x');
    expect(concurrentIndex('CREATE INDEX "idx" ON "t" ("c")')).toBeNull();
    expect(concurrentIndex('ALTER TABLE "sessions" ADD CONSTRAINT "k" UNIQUE USING INDEX "k"')).toBeNull();
    expect(concurrentBuilds(['ALTER TABLE "t" ADD COLUMN "c" text', 'CREATE UNIQUE INDEX CONCURRENTLY "k" ON "t" ("c")'])).toEqual([{ offset: 1, index: 'k' }]);
  });

  // add_unique on a table that existed: CREATE UNIQUE INDEX CONCURRENTLY "k", then ADD CONSTRAINT "k" UNIQUE USING INDEX "k".
  const unique = { name: null, columns: ['user_id', 'title'] };
  const ops: Operation[] = [{ op: 'add_unique', table: 'sessions', unique }];
  const builds = [{ offset: 0, index: 'sessions_user_id_title_key' }];
  const index = { name: 'sessions_user_id_title_key', columns: ['user_id', 'title'], unique: true, method: 'btree', where: null };

  it('UNIQUE: an INVALID index is dropped and built again; a valid one not yet attached goes on at the constraint; the constraint is done; nothing is run', () => {
    const before = pgModel();
    const live = pgModel();
    expect(decide(before, ops, live, builds)).toEqual({ kind: 'run' });
    sessions(live).indexes.push({ ...index, valid: false });
    expect(decide(before, ops, live, builds)).toEqual({ kind: 'rebuild_index', index: 'sessions_user_id_title_key' });
    sessions(live).indexes.at(-1)!.valid = true;
    expect(decide(before, ops, live, builds)).toEqual({ kind: 'partly', next: 1, index: 'sessions_user_id_title_key' });
    sessions(live).indexes.pop();
    sessions(live).uniques.push({ name: 'sessions_user_id_title_key', columns: ['user_id', 'title'] });
    expect(decide(before, ops, live, builds)).toEqual({ kind: 'done' });
  });

  it('an INVALID index that is not the first statement of its group is not rebuilt blind', () => {
    const live = pgModel();
    sessions(live).indexes.push({ ...index, valid: false });
    expect(decide(pgModel(), ops, live, [{ offset: 1, index: index.name }])).toEqual({ kind: 'unknown', found: `index ${index.name} is invalid` });
  });
});

describe('work of dbkit still running on the server', () => {
  const pg = loadMigrations('agents', 'postgres', path.join(repoRoot, 'migrations'));
  const runs = pg.find((m) => m.name.endsWith('create_runs'))!;
  const running = (query: string, more: Partial<ServerStatement> = {}): ServerStatement => ({ id: 42, seconds: 7, state: 'active', query, progress: null, ...more });

  it('tags each statement with the namespace, migration and statement, behind a plain comment', () => {
    expect(workTag('public', '20250101000300_create_runs', 'up', 0, 3)).toBe('/* dbkit public 20250101000300_create_runs up 1/3 */ ');
    // A namespace cannot end the comment or split the tag.
    expect(workTag('a */ DROP b', 'm', 'down', 1, 2)).toBe('/* dbkit a%20%2A%2F%20DROP%20b m down 2/2 */ ');
  });

  it("recognises this namespace's tagged statements and untagged ones equal to a migration's, nothing else", () => {
    const tagged = running(`${workTag('public', runs.name, 'up', 0, runs.up.length)}${runs.up[0]}`);
    const other = running(`${workTag('tenant_2', runs.name, 'up', 0, runs.up.length)}${runs.up[0]}`);
    const untagged = running(runs.up[0]!);
    const truncated = running('x'.repeat(10));
    const stranger = running('SELECT 1');
    const found = ourWork([tagged, other, untagged, stranger, truncated], 'public', pg);
    expect(found.map((w) => w.what)).toEqual([`${runs.name}, statement 1 of ${runs.up.length}`, `${runs.name}, statement 1 of ${runs.up.length}`]);
    expect(found[0]!.statement).toBe(runs.up[0]);
    // PostgreSQL cuts a long query at track_activity_query_size: matched by its start.
    const long = { ...runs, name: '20990101000000_long', up: [`CREATE INDEX CONCURRENTLY "i" ON "t" (${'"c", '.repeat(400)}"d")`] } as LoadedMigration;
    expect(ourWork([running(long.up[0]!.slice(0, 1023))], 'public', [long]).map((w) => w.what)).toEqual(['20990101000000_long, statement 1 of 1']);
  });

  it('says what runs, for how long, and its progress; and how each engine ends it', () => {
    const [w] = ourWork([running(`${workTag('public', runs.name, 'up', 0, 1)}${runs.up[0]}`, { progress: 'building index: scanning table, 41% of blocks' })], 'public', pg);
    expect(describeWork(w!, postgresWorkProbe)).toBe(
      `PostgreSQL session 42 has run ${runs.up[0]!.replace(/\s+/g, ' ').slice(0, 117)}... for 7s (${runs.name}, statement 1 of 1; building index: scanning table, 41% of blocks)`,
    );
    expect(postgresWorkProbe.howToEnd(running('x'))).toBe('SELECT pg_cancel_backend(42)');
    expect(postgresWorkProbe.howToEnd(running('x', { state: 'idle in transaction' }))).toBe('SELECT pg_terminate_backend(42)');
    expect(mysqlWorkProbe.howToEnd(running('x'))).toBe('KILL QUERY 42');
  });

  it('PostgreSQL: pg_stat_activity with pg_stat_progress_create_index, this database, other sessions, dbkit only', () => {
    expect(PG_RUNNING_WORK).toContain('FROM pg_stat_activity a LEFT JOIN pg_stat_progress_create_index p ON p.pid = a.pid');
    expect(PG_RUNNING_WORK).toContain('WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()');
    expect(PG_RUNNING_WORK).toContain("AND (a.query LIKE '/* dbkit %' OR a.application_name = 'dbkit')");
    expect(indexProgress({ phase: 'building index: scanning table', blocks_done: '41', blocks_total: '100', tuples_done: '0', tuples_total: '0' })).toBe('building index: scanning table, 41% of blocks');
    expect(indexProgress({ phase: 'building index: loading tuples in tree', blocks_done: '0', blocks_total: '0', tuples_done: 50, tuples_total: 200 })).toBe('building index: loading tuples in tree, 25% of tuples');
    expect(indexProgress({ phase: 'waiting for old snapshots', blocks_done: null, blocks_total: null, tuples_done: null, tuples_total: null })).toBe('waiting for old snapshots');
    expect(indexProgress({ phase: null, blocks_done: null, blocks_total: null, tuples_done: null, tuples_total: null })).toBeNull();
  });

  it('MySQL/MariaDB: information_schema.PROCESSLIST of this database; MariaDB adds the progress of ALTER TABLE, MySQL 8 has no such columns', () => {
    expect(MYSQL_RUNNING_WORK).toBe(
      "SELECT * FROM information_schema.PROCESSLIST\nWHERE ID <> CONNECTION_ID() AND DB = DATABASE() AND COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump') AND INFO IS NOT NULL\nORDER BY TIME DESC",
    );
    // MariaDB 10.11 (its PROCESSLIST adds TIME_MS, STAGE, MAX_STAGE, PROGRESS, MEMORY_USED, ...).
    const maria = { ID: 2596, USER: 'dbkit', HOST: 'localhost:5555', DB: 'app', COMMAND: 'Query', TIME: 3, STATE: 'altering table', INFO: 'ALTER TABLE `t` ADD INDEX `i` (`a`)', TIME_MS: 3012.5, STAGE: 1, MAX_STAGE: 2, PROGRESS: '41.500' };
    expect(fromProcessRow(maria)).toEqual({ id: 2596, state: 'altering table', query: 'ALTER TABLE `t` ADD INDEX `i` (`a`)', seconds: 3, progress: 'stage 1 of 2, 41% done (altering table)' });
    expect(alterProgress({ ...maria, PROGRESS: '0.000', STAGE: 0, MAX_STAGE: 0 })).toBeNull();
    // MySQL 8.0 (ID, USER, HOST, DB, COMMAND, TIME, STATE, INFO; 8.0.22+ also in performance_schema.processlist).
    const mysql8 = { ID: 17, USER: 'dbkit', HOST: 'localhost', DB: 'app', COMMAND: 'Query', TIME: 12, STATE: 'altering table', INFO: 'ALTER TABLE `t` ADD INDEX `i` (`a`)' };
    expect(fromProcessRow(mysql8)).toEqual({ id: 17, state: 'altering table', query: 'ALTER TABLE `t` ADD INDEX `i` (`a`)', seconds: 12, progress: null });
  });
});

const entry = (name: string, state: MigrationEntry['state']): MigrationEntry => ({ name, state, batch: state === 'pending' ? null : 1, appliedAt: null });

describe('migrations out of order', () => {
  const entries = [entry('20250101_a', 'applied'), entry('20250103_c', 'applied'), entry('20250102_b', 'pending'), entry('20250104_d', 'pending')];

  it('a pending migration that sorts before an applied one is refused, naming both (exit 1)', () => {
    let err: unknown;
    try {
      checkOrder(entries, ['20250102_b', '20250104_d'], false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutOfOrderError);
    expect((err as OutOfOrderError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(/^20250102_b sorts before 20250103_c, which this database has applied: nothing was migrated\. .*dbkit migrate --allow-out-of-order/);
  });

  it('allowed, it names what is applied out of order; in order, or on a fresh database, nothing is', () => {
    expect(checkOrder(entries, ['20250102_b', '20250104_d'], true)).toEqual(['20250102_b']);
    expect(checkOrder(entries, ['20250104_d'], false)).toEqual([]);
    expect(checkOrder([entry('20250102_b', 'pending')], ['20250102_b'], false)).toEqual([]);
  });
});

describe('--adopt', () => {
  const entries = [entry('20250101_create_users', 'applied'), entry('20250105_index_x', 'pending'), entry('20250106_index_y', 'pending')];

  it('picks pending migrations by a full or unique name; an applied one picks nothing; an unknown or ambiguous name is a usage error', () => {
    expect(pickAdopted(entries, ['index_x', '20250106_index_y', 'index_x'])).toEqual(['20250105_index_x', '20250106_index_y']);
    expect(pickAdopted(entries, ['create_users'])).toEqual([]);
    expect(() => pickAdopted(entries, ['nope'])).toThrow(UsageError);
    expect(() => pickAdopted(entries, ['index_'])).toThrow(/matches several migrations: 20250105_index_x, 20250106_index_y/);
  });

  it('its effect must be in the live schema exactly as the migration makes it', () => {
    const before = pgModel();
    const idx = { name: 'idx_sessions_title', columns: ['title'], unique: false, method: 'btree', where: null };
    const m = { name: '20250105_index_x', meta: { up: { operations: [{ op: 'create_index', table: 'sessions', index: idx }] } } } as unknown as LoadedMigration;
    const live = pgModel();
    expect(adoptionGaps(m, before, live, new Set()).join(' ')).toMatch(/idx_sessions_title/);
    sessions(live).indexes.push({ ...idx, columns: ['user_id'] });
    expect(adoptionGaps(m, before, live, new Set())).not.toEqual([]);
    sessions(live).indexes.at(-1)!.columns = ['title'];
    expect(adoptionGaps(m, before, live, new Set())).toEqual([]);
    const fn = { ...m, meta: { up: { operations: [{ op: 'create_function', name: 'set_updated_at', column: 'updated_at' }] } } } as unknown as LoadedMigration;
    expect(adoptionGaps(fn, before, live, new Set())).toEqual(['function set_updated_at() is missing']);
    expect(adoptionGaps(fn, before, live, new Set(['function:set_updated_at']))).toEqual([]);
  });

  it('its effect all there: adopted; the state before it: run (a database that never had the other branch); anything else: refused with what differs', () => {
    const before = pgModel();
    const idx = { name: 'idx_sessions_title', columns: ['title'], unique: false, method: 'btree', where: null };
    const m = { name: '20250105_index_x', meta: { up: { operations: [{ op: 'create_index', table: 'sessions', index: idx }] } } } as unknown as LoadedMigration;
    const live = pgModel();
    expect(adoptVerdict(m, before, live, new Set())).toEqual({ kind: 'run' });
    sessions(live).indexes.push({ ...idx, columns: ['user_id'] });
    expect(adoptVerdict(m, before, live, new Set())).toMatchObject({ kind: 'refuse', gaps: [expect.stringContaining('idx_sessions_title')] });
    sessions(live).indexes.at(-1)!.columns = ['title'];
    expect(adoptVerdict(m, before, live, new Set())).toEqual({ kind: 'adopt' });
  });
});

describe('--accept-changed', () => {
  const entries = [entry('20250101000000_create_users', 'applied'), entry('20250105000000_index_x', 'missing')];
  it('a full migration name that is nowhere is told, not refused (a pipeline keeps the flag on every database); a part of a name that matches nothing is a usage error', () => {
    const absent: string[] = [];
    expect(acceptedDrift(entries, ['20250106000000_index_y', 'index_x'], (n) => absent.push(n)).map((e) => e.name)).toEqual(['20250105000000_index_x']);
    expect(absent).toEqual(['20250106000000_index_y']);
    expect(() => acceptedDrift(entries, ['index_y'])).toThrow(/--accept-changed index_y: no such migration \(edited or missing: 20250105000000_index_x\)/);
    expect(() => acceptedDrift(entries, ['2025010600000_index_y'])).toThrow(UsageError);
  });
});

describe("make's folder lock", () => {
  const h = (over: Partial<FolderLockHolder> = {}): FolderLockHolder => ({ pid: 4242, host: 'ci-7', since: '2026-01-01T00:00:00.000Z', boot: 'b1', start: '100', token: 't', ...over });
  const here = { host: 'ci-7', boot: 'b1' };
  const live = (start: string | null) => ({ alive: () => true, processStart: () => start });

  it('a holder is stale when its process is gone, the machine restarted, or its pid now belongs to a process started at another time', () => {
    expect(staleReason(h(), here, { alive: () => false, processStart: () => null })).toBe('process 4242 is gone');
    expect(staleReason(h(), { ...here, boot: 'b2' }, live('100'))).toBe('the machine restarted since');
    expect(staleReason(h(), here, live('999'))).toBe('pid 4242 is now another process');
  });

  it('held while its process lives with the start time it wrote; another host cannot be checked and is waited for', () => {
    expect(staleReason(h(), here, live('100'))).toBeNull();
    expect(staleReason(h({ start: null }), here, live('100'))).toBeNull();
    expect(staleReason(h({ host: 'ci-8' }), here, { alive: () => false, processStart: () => null })).toBeNull();
  });

  it('reads the start time of a live process (Linux /proc), even with spaces and parentheses in its name', () => {
    if (os.platform() !== 'linux') return;
    expect(processStart(process.pid)).toMatch(/^\d+$/);
    expect(processStart(2 ** 22 + 1)).toBeNull();
  });
});

describe('ownership refusal after a forgotten migration', () => {
  it('does not say "dbkit did not create it" when an applied migration whose folder is gone may have; it names the way out', () => {
    const msg = conflictError([{ label: 'index idx_x', migration: '20250301_c' }], 'public', { forgotten: ['20250201_b'] }).message;
    expect(msg).not.toContain('dbkit did not create');
    expect(msg).toBe(
      'refusing to migrate: index idx_x (20250301_c would create it) already exists in public, and no migration in the folder proves dbkit made it; ' +
        '20250201_b, applied here and whose folder is gone, may have. Nothing was run. If 20250301_c makes the change 20250201_b made (two branches merged), ' +
        'record it without running: dbkit migrate --accept-changed 20250201_b --adopt 20250301_c (checked against the catalog first; docs/recovery.md)',
    );
    expect(conflictError([{ label: 'table users', migration: 'm' }], 'public').message).toContain('and dbkit did not create it; nothing was run');
  });
});
