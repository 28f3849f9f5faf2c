/**
 * The live pre-flight of data-dependent changes (issue 19, acceptance 2), on
 * PostgreSQL, MariaDB and PGlite, through the built binary:
 *
 * - a checkout gets, by `dbkit make`, a nullable files.session_id, then one
 *   migration that makes files.file_hash unique, references sessions from
 *   files.session_id, makes gallery.description NOT NULL and narrows
 *   sessions.title to varchar(20) (make refuses it without --allow-data-loss,
 *   naming the orphans the foreign key fails on);
 * - duplicates, orphans, NULLs and values too long, each alone and all four
 *   at once, make `migrate` exit 9 before any statement: the catalog
 *   (dbkit's introspection) and every row (tables and bookkeeping) are the
 *   same after as before, and the counts and sample keys are named on stderr
 *   and in --json; `--dry-run` shows the same and exits 9;
 * - the clean data migrates;
 * - then a dropped column holding values is refused without
 *   --allow-data-loss and reported with it, and a NOT NULL after a
 *   hand-written backfill is counted just before its migration (inside its
 *   transaction on PostgreSQL), refusing what the backfill left.
 *
 * Besides, every probe's query, as each engine's module writes it, counts
 * what it should on a small table of each engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlProbeDialect } from '../../dialects/mysql/data-check.js';
import { postgresProbeDialect } from '../../dialects/postgres/data-check.js';
import { SQL_DIALECTS as dialects } from '../../src/engines/index.js';
import { probeResult, type DataCheckEntry } from '../../src/migrate/apply/data-check/preflight.js';
import type { Condition, Probe, ProbeDialect, SampleColumn } from '../../src/port/data-check.js';
import { numbered } from '../../src/db/sql.js';
import { normal } from '../support/normal.js';
import { json, type CliResult } from '../support/cli.js';
import { checkout, type Checkout } from '../support/checkout.js';
import { freshMysql, freshPglite, freshPostgres, openAdmin, type AdminConnection, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

type Engine = 'postgres' | 'mysql' | 'pglite';
const tmp = tempDirs('dbkit-data-preflight-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

let co: Checkout;
/** The migrations made, by name. */
const made: Record<string, string> = {};

async function make(args: string[]): Promise<CliResult> {
  return co.run(['make', ...args, '--schema', 'agents', '--json']);
}

beforeAll(async () => {
  co = checkout(tmp());
  co.edit('agents.ts', "{ name: 'file_hash', type: t.varchar(64) },", "{ name: 'file_hash', type: t.varchar(64) },\n        { name: 'session_id', type: t.ref() },");
  const first = await make(['add_files_session']);
  expect(first.code, first.stderr).toBe(0);
  made.session = json<{ name: string }>(first).name;

  co.edit('agents.ts', "{ name: 'session_id', type: t.ref() },", "{ name: 'session_id', type: t.ref(), references: { table: 'sessions', onDelete: 'SET NULL' } },");
  co.edit('agents.ts', "{ name: 'file_hash', type: t.varchar(64) },", "{ name: 'file_hash', type: t.varchar(64), unique: true },");
  co.edit('agents.ts', "{ name: 'description', type: t.text() },", "{ name: 'description', type: t.text(), notNull: true },");
  co.edit('agents.ts', "{ name: 'title', type: t.varchar(255), notNull: true },\n        { name: 'config'", "{ name: 'title', type: t.varchar(20), notNull: true },\n        { name: 'config'");
  // make gates the foreign key over existing rows like the other data-dependent changes.
  const refused = await make(['tighten']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('adds foreign key (session_id) on files -> sessions (orphans make it fail: values with no sessions row)');
  // Narrowing sessions.title rewrites (copies) the table: make wants --allow-blocking for that too.
  const tighten = await make(['tighten', '--allow-data-loss', '--allow-blocking']);
  expect(tighten.code, tighten.stderr).toBe(0);
  made.tighten = json<{ name: string }>(tighten).name;

  co.edit('agents.ts', "        { name: 'content_type', type: t.varchar(100) },\n", '');
  const drop = await make(['drop_content_type', '--allow-data-loss']);
  expect(drop.code, drop.stderr).toBe(0);
  made.drop = json<{ name: string }>(drop).name;

  const backfill = await make(['backfill', '--empty']);
  expect(backfill.code, backfill.stderr).toBe(0);
  made.backfill = json<{ name: string }>(backfill).name;
  // Fills every NULL hash but that of the file named 'keep-null' (the deferred count then finds it).
  for (const [dialect, q] of [['postgres', '"'], ['mysql', '`']] as const) {
    const file = path.join(co.root, 'migrations', 'agents', made.backfill, `${dialect}.up.sql`);
    fs.appendFileSync(file, `UPDATE ${q}files${q} SET file_hash = 'none' WHERE file_hash IS NULL AND name <> 'keep-null';\n`);
  }
  const hashed = await co.run(['hash', '--schema', 'agents']);
  expect(hashed.code, hashed.stderr).toBe(0);

  co.edit('agents.ts', "{ name: 'file_hash', type: t.varchar(64), unique: true },", "{ name: 'file_hash', type: t.varchar(64), unique: true, notNull: true },");
  const required = await make(['hash_required', '--allow-data-loss']);
  expect(required.code, required.stderr).toBe(0);
  made.required = json<{ name: string }>(required).name;
}, 600_000);

/** Row ids: UUIDs on PostgreSQL, numbers on MySQL; `lit` as SQL, `key` as dbkit shows it. */
function ids(engine: Engine) {
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return engine === 'mysql'
    ? { lit: (n: number) => String(n), key: (n: number) => String(n) }
    : { lit: (n: number) => `'${uuid(n)}'`, key: uuid };
}

const TABLES = ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'];
const BOOKKEEPING = ['dbkit_migrations', 'dbkit_migrations_lock', 'dbkit_checksums'];

interface Snapshot {
  catalog: unknown;
  rows: string;
}

/**
 * Run `statements`, then read the catalog as dbkit introspects it and every
 * row of every table (bookkeeping too), as text; one connection (PGlite
 * opens its directory once).
 */
async function prepare(engine: Engine, url: string, namespace: string, statements: string[] = []): Promise<Snapshot> {
  const admin = await openAdmin(url);
  try {
    for (const s of statements) await admin.query(s);
    const dialect = engine === 'mysql' ? 'mysql' : 'postgres';
    const sql = { query: <T>(text: string, params: readonly unknown[] = []) => admin.query(dialect === 'postgres' ? numbered(text) : text, [...params]) as Promise<T[]> };
    const catalog = normal(await dialects[dialect].introspect(sql, namespace));
    const parts: string[] = [];
    for (const t of [...TABLES, ...BOOKKEEPING]) {
      const rows = await admin.query(`SELECT * FROM ${t} ORDER BY 1`);
      parts.push(`${t}:${JSON.stringify(rows, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? String(v) : v))}`);
    }
    return { catalog, rows: parts.join('\n') };
  } finally {
    await admin.close();
  }
}

const PROBLEMS = ['duplicates', 'orphans', 'nulls', 'too_long'] as const;
type Problem = (typeof PROBLEMS)[number];

describe.concurrent.each([
  ['postgres', freshPostgres],
  ['mysql', freshMysql],
  ['pglite', freshPglite],
] as const)('%s', (engine, fresh) => {
  it('refuses duplicates, orphans, NULLs and long values before any statement (exit 9, nothing changed), migrates clean data, gates losses and counts after a backfill', async () => {
    const db = await fresh('preflight');
    dbs.push(db);
    const { lit, key } = ids(engine);
    const on = ['--url', db.url, '--schema', 'agents'];
    const cli = (args: string[]) => co.run([...args, ...on]);
    const setup = await cli(['migrate', '--to', made.session!, '--quiet']);
    expect(setup.code, setup.stderr).toBe(0);
    const namespace = engine === 'mysql' ? db.name : 'public';
    const at = (statements: string[] = []) => prepare(engine, db.url, namespace, statements);

    await at([
      `INSERT INTO users (id, username, email, password_hash) VALUES (${lit(1)}, 'ann', 'ann@example.com', 'h'), (${lit(2)}, 'bob', 'bob@example.com', 'h')`,
      `INSERT INTO sessions (id, user_id, title) VALUES (${lit(11)}, ${lit(1)}, 'one'), (${lit(12)}, ${lit(1)}, 'two')`,
      `INSERT INTO runs (id, session_id, user_id, task) VALUES (${lit(21)}, ${lit(11)}, ${lit(1)}, 'task')`,
      `INSERT INTO files (id, run_id, name, path, size, content_type, file_hash, session_id) VALUES ` +
        `(${lit(31)}, ${lit(21)}, 'a', '/a', 1, 'text/plain', 'h1', ${lit(11)}), (${lit(32)}, ${lit(21)}, 'b', '/b', 2, NULL, 'h2', NULL), (${lit(33)}, ${lit(21)}, 'c', '/c', 3, NULL, 'h3', ${lit(12)})`,
      `INSERT INTO gallery (id, user_id, title, description) VALUES (${lit(41)}, ${lit(1)}, 'g1', 'd1'), (${lit(42)}, ${lit(2)}, 'g2', 'd2')`,
    ]);
    const dirty: Record<Problem, string[]> = {
      duplicates: [`UPDATE files SET file_hash = 'same' WHERE id IN (${lit(31)}, ${lit(32)})`],
      orphans: [`UPDATE files SET session_id = ${lit(99)} WHERE id = ${lit(33)}`],
      nulls: [`UPDATE gallery SET description = NULL WHERE id = ${lit(42)}`],
      too_long: [`UPDATE sessions SET title = 'a title longer than twenty characters' WHERE id = ${lit(12)}`],
    };
    const clean: Record<Problem, string[]> = {
      duplicates: [`UPDATE files SET file_hash = 'h1' WHERE id = ${lit(31)}`, `UPDATE files SET file_hash = 'h2' WHERE id = ${lit(32)}`],
      orphans: [`UPDATE files SET session_id = ${lit(12)} WHERE id = ${lit(33)}`],
      nulls: [`UPDATE gallery SET description = 'd2' WHERE id = ${lit(42)}`],
      too_long: [`UPDATE sessions SET title = 'two' WHERE id = ${lit(12)}`],
    };
    /** What the report says of each problem: its line on stderr, and its entry in --json. */
    const expected: Record<Problem, { line: string; entry: Partial<DataCheckEntry> }> = {
      duplicates: {
        line: 'refused: 1 value of files (file_hash) held by more than one row (2 rows) (the change would fail); e.g. file_hash=same (2 rows)',
        entry: { check: 'duplicates', table: 'files', columns: ['file_hash'], count: 1, rows: 2, samples: [{ file_hash: 'same', rows: 2 }], status: 'refused' },
      },
      orphans: {
        line: `refused: 1 row of files with a (session_id) that no sessions row has (the change would fail); e.g. (id=${key(33)}, session_id=${key(99)})`,
        entry: { check: 'orphans', table: 'files', columns: ['session_id'], count: 1, samples: [{ id: key(33), session_id: key(99) }], status: 'refused' },
      },
      nulls: {
        line: `refused: 1 row with NULL in gallery.description (the change would fail); e.g. id=${key(42)}`,
        entry: { check: 'nulls', table: 'gallery', columns: ['description'], count: 1, samples: [{ id: key(42) }], status: 'refused' },
      },
      too_long: {
        line: `refused: 1 row with a value of sessions.title longer than 20 characters (varchar(20)) (the change would fail); e.g. (id=${key(12)}, char_length(title)=37)`,
        entry: { check: 'too_long', table: 'sessions', columns: ['title'], count: 1, samples: [{ id: key(12), 'char_length(title)': 37 }], status: 'refused' },
      },
    };
    const refusedEntries = (r: CliResult) => (json<{ dataChecks: DataCheckEntry[] }>(r).dataChecks ?? []).filter((e) => e.status === 'refused');

    // Each problem alone: refused, the database as it was.
    let fixed: string[] = [];
    for (const problem of PROBLEMS) {
      const before = await at([...fixed, ...dirty[problem]]);
      const r = await cli(['migrate', '--to', made.tighten!, '--json']);
      expect(r.code, `${problem}: ${r.stderr}`).toBe(9);
      expect(r.stderr).toContain(expected[problem].line);
      const doc = json<{ error: { exitCode: number; message: string } }>(r);
      expect(doc.error.exitCode).toBe(9);
      expect(doc.error.message).toMatch(new RegExp(`^refusing to migrate: rows of the live data would make 1 pending change fail: ${made.tighten}: .*; fix those rows, then run dbkit migrate again; nothing was run$`));
      expect(refusedEntries(r)).toEqual([expect.objectContaining({ migration: made.tighten, effect: 'fails', ...expected[problem].entry })]);
      expect(await at(), `${problem}: the database changed`).toEqual(before);
      fixed = clean[problem];
    }

    // All four at once: in text, then the dry run (the plan on stdout, the same report, exit 9).
    const before = await at([...fixed, ...PROBLEMS.flatMap((p) => dirty[p])]);
    const text = await cli(['migrate', '--to', made.tighten!]);
    expect(text.code, text.stderr).toBe(9);
    for (const problem of PROBLEMS) expect(text.stderr).toContain(`${expected[problem].line}\n`);
    expect(text.stderr).toMatch(/^dbkit: refusing to migrate: rows of the live data would make 4 pending changes fail: .*; fix those rows, then run dbkit migrate again; nothing was run$/m);
    const dry = await cli(['migrate', '--to', made.tighten!, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(9);
    expect(dry.stdout).toContain(`-- ${made.tighten} (up)`);
    for (const problem of PROBLEMS) expect(dry.stderr).toContain(expected[problem].line);
    expect(dry.stderr).toContain('a real run would refuse');
    expect(await at(), 'the database changed').toEqual(before);

    // Clean data migrates (up to the tightening), with the counts said.
    await at(PROBLEMS.flatMap((p) => clean[p]));
    const ok = await cli(['migrate', '--to', made.tighten!]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('data pre-flight (before the first statement): 4 counts on the live data, nothing in the way');
    expect(ok.stdout).toContain(`+ ${made.tighten}`);

    // A dropped column holding values: refused without --allow-data-loss; the NOT NULL after the backfill waits for it.
    await at([`UPDATE files SET file_hash = NULL, name = 'keep-null' WHERE id = ${lit(32)}`, `UPDATE files SET file_hash = NULL WHERE id = ${lit(33)}`]);
    const lossy = await cli(['migrate', '--json']);
    expect(lossy.code, lossy.stderr).toBe(9);
    expect(lossy.stderr).toContain(`refused: 1 row with a value in files.content_type, lost with the column (lost without --allow-data-loss); e.g. id=${key(31)}`);
    expect(lossy.stderr).toContain(`  ${made.required}\n    later: counted just before it starts`);
    expect(json<{ error: { message: string } }>(lossy).error.message).toContain('be lost by 1 pending change (not allowed without --allow-data-loss)');

    // Allowed: the drop and the backfill run; the backfill left one NULL, counted just before the NOT NULL: refused there.
    const allowed = await cli(['migrate', '--allow-data-loss', '--json']);
    expect(allowed.code, allowed.stderr).toBe(9);
    expect(allowed.stderr).toContain(`allowed: 1 row with a value in files.content_type, lost with the column (--allow-data-loss); e.g. id=${key(31)}`);
    expect(allowed.stderr).toContain(`data pre-flight (just before ${made.required}):`);
    expect(allowed.stderr).toContain(`refused: 1 row with NULL in files.file_hash (the change would fail); e.g. id=${key(32)}`);
    // --json has the counts made up front (the loss allowed) beside the one that refused.
    expect(json<{ dataChecks: DataCheckEntry[] }>(allowed).dataChecks.map((e) => e.status)).toEqual(['allowed', 'deferred', 'refused']);
    expect(json<{ error: { message: string } }>(allowed).error.message).toMatch(new RegExp(`nothing of ${made.required} was run; applied before it in this run: ${made.drop}, ${made.backfill}`));
    // Applied: the drop and the backfill; not the NOT NULL.
    const recorded = (await at([`UPDATE files SET file_hash = 'kept' WHERE id = ${lit(32)}`])).rows.split('\n').find((l) => l.startsWith('dbkit_migrations:'))!;
    expect([made.drop, made.backfill].every((n) => recorded.includes(`"${n}"`)) && !recorded.includes(made.required!), recorded).toBe(true);
    const done = await cli(['migrate']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('1 count on the live data, nothing in the way');
    const last = await cli(['diff']);
    expect(last.code, last.stdout).toBe(0);
  }, 900_000);
});

describe.concurrent.each([
  ['postgres', freshPostgres, 'BEGIN; LOCK TABLE files IN ACCESS EXCLUSIVE MODE'],
  ['mysql', freshMysql, 'LOCK TABLES files WRITE'],
] as const)('%s: a count behind a lock another session holds', (_engine, fresh, lock) => {
  it('waits --lock-timeout at most, then exits 4 saying so, nothing changed', async () => {
    const db = await fresh('preflight_lock');
    dbs.push(db);
    const on = ['--url', db.url, '--schema', 'agents'];
    expect((await co.run(['migrate', '--to', made.session!, '--quiet', ...on])).code).toBe(0);
    const holder = await openAdmin(db.url);
    try {
      for (const s of lock.split('; ')) await holder.query(s);
      const r = await co.run(['migrate', '--to', made.tighten!, '--lock-timeout', '1', ...on]);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/^dbkit: data pre-flight: counting for \S+_tighten \(.*\) waited longer than --lock-timeout for a lock on table \w+ held by another session; nothing was run$/m);
    } finally {
      await holder.close();
    }
    const status = await co.run(['status', '--json', ...on]);
    expect(json<{ counts: { pending: number } }>(status).counts.pending).toBe(4);
  }, 300_000);
});

// ------------------------------------------------------------ each probe's SQL on the real engines

const sampleKey: SampleColumn[] = [{ column: 'id', show: 'key' }];
/** A sample value of exactly 40 characters: shown whole. */
const FORTY = 'abcdefghij'.repeat(4);
const probe = (condition: Condition, samples: SampleColumn[] = sampleKey): Probe => ({ migration: 'm', operation: 0, change: 'c', effect: 'fails', table: 'probe_t', condition, samples, says: '{rows}' });

/** Each condition, and the count it must find in the rows below. */
function cases(engine: Engine): Array<[string, Condition, number]> {
  const q = engine === 'mysql' ? '`' : '"';
  return [
    ['nulls', { kind: 'nulls', columns: ['s'] }, 1],
    ['rows', { kind: 'rows' }, 4],
    ['values', { kind: 'values', column: 's' }, 3],
    ['orphans', { kind: 'orphans', columns: ['ref'], refTable: 'probe_r', refColumns: ['id'] }, 1],
    ['orphans of a new table', { kind: 'orphans', columns: ['ref'], refTable: null, refColumns: ['id'] }, 3],
    ['too long (trailing blanks cut freely)', { kind: 'too_long', column: 's', max: 5, unit: 'chars' }, 1],
    ['out of range', { kind: 'out_of_range', column: 'n', min: '-32768', max: '32767' }, 2],
    ['too many digits (after rounding)', { kind: 'too_many_digits', column: 'd', digits: 2, scale: 1 }, 2],
    ['rounded', { kind: 'rounded', column: 'd', scale: 1 }, 3],
    ['not a label', { kind: 'not_in', column: 'e', labels: ['user'] }, 1],
    ['not JSON', { kind: 'not_convertible', column: 'j', type: engine === 'mysql' ? 'json' : 'jsonb' }, 1],
    ['not an integer', { kind: 'not_convertible', column: 's', type: engine === 'mysql' ? 'int' : 'integer' }, 3],
    ['breaking a CHECK', { kind: 'check', expression: `${q}n${q} > 0` }, 1],
  ];
}

describe.concurrent.each([
  ['postgres', postgresProbeDialect],
  ['mysql', mysqlProbeDialect],
  ['pglite', postgresProbeDialect],
] as const)('every probe query on %s', (engine, dialect: ProbeDialect) => {
  it('counts what it should, with its samples', async () => {
    let admin: AdminConnection;
    let namespace = 'public';
    if (engine === 'pglite') {
      const { PGlite } = await import('@electric-sql/pglite');
      const lite = await PGlite.create();
      admin = { query: async (sql, params = []) => (await lite.query(sql, params)).rows as never, close: () => lite.close() };
    } else {
      const db = await (engine === 'postgres' ? freshPostgres('probes') : freshMysql('probes'));
      dbs.push(db);
      admin = await openAdmin(db.url);
      if (engine === 'mysql') namespace = db.name;
    }
    try {
      await admin.query('CREATE TABLE probe_r (id int PRIMARY KEY)');
      await admin.query('CREATE TABLE probe_t (id int PRIMARY KEY, s varchar(50), n bigint, d numeric(10,3), j text, e text, ref int)');
      await admin.query('INSERT INTO probe_r VALUES (1)');
      await admin.query(
        "INSERT INTO probe_t VALUES (1, 'short', 5, 1.5, '{\"a\": 1}', 'user', 1), (2, 'a much longer value here', 40000, 12345.678, 'not json', 'bot', 9), " +
          "(3, 'pad   ', -40000, 0.25, NULL, NULL, NULL), (4, NULL, 7, 99.999, '[1]', 'user', 1)",
      );
      // Value samples: 40 characters exactly, 41, longer, and an emoji (one character; two UTF-16 units in JavaScript) before the cut.
      await admin.query(`CREATE TABLE probe_long (id int PRIMARY KEY, s varchar(60))${engine === 'mysql' ? ' DEFAULT CHARSET=utf8mb4' : ''}`);
      await admin.query(
        `INSERT INTO probe_long VALUES (1, '${FORTY}'), (2, '${FORTY}x'), (3, 'Analyze sales.csv and chart conversion by région 📈 weekly'), (4, 'Analyze sales.csv by région, chart 📈 it weekly')`,
      );
      const [server] = await admin.query<{ v: unknown }>(dialect.serverSql);
      const sql = dialect.forServer(String(server!.v), 10_000);
      for (const s of sql.begin) await admin.query(s);
      for (const [what, condition, n] of cases(engine)) {
        const q = sql.query(probe(condition), namespace);
        if ('unsupported' in q) throw new Error(`${what}: ${q.unsupported}`);
        const rows = await admin.query<{ n: unknown }>(q.sql, q.params);
        expect(Number(rows[0]?.n ?? 0), what).toBe(n);
      }
      const range = sql.query(probe({ kind: 'out_of_range', column: 'n', min: '-32768', max: '32767' }, [...sampleKey, { column: 'n', show: 'value' }]), namespace);
      if ('unsupported' in range) throw new Error(range.unsupported);
      expect((await admin.query<Record<string, unknown>>(range.sql, range.params)).map((r) => [String(r.k0), String(r.k1)])).toEqual([['2', '40000'], ['3', '-40000']]);
      const dup = sql.query(probe({ kind: 'duplicates', columns: ['e'], where: null }, [{ column: 'e', show: 'value' }]), namespace);
      if ('unsupported' in dup) throw new Error(dup.unsupported);
      expect((await admin.query<Record<string, unknown>>(dup.sql, dup.params)).map((r) => [Number(r.n), Number(r.r), Number(r.g), r.k0])).toEqual([[1, 2, 2, 'user']]);
      // A value sample: whole up to 40 characters; a longer one cut at 40 characters (as LEFT counts them, not bytes), then `…`.
      const values = { ...probe({ kind: 'values', column: 's' }, [...sampleKey, { column: 's', show: 'value' }]), table: 'probe_long' };
      const long = sql.query(values, namespace);
      if ('unsupported' in long) throw new Error(long.unsupported);
      const found = probeResult(values, await admin.query<Record<string, unknown>>(long.sql, long.params));
      expect(found.samples.map((r) => [String(r.id), r.s])).toEqual([
        ['1', FORTY],
        ['2', `${FORTY}…`],
        ['3', 'Analyze sales.csv and chart conversion b…'],
        ['4', 'Analyze sales.csv by région, chart 📈 it …'],
      ]);
      await admin.query(sql.end);
    } finally {
      await admin.close();
    }
  }, 300_000);
});
