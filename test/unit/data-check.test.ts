/**
 * The live pre-flight's pure part (src/migrate/apply/data-check/): which probes a
 * run's pending migrations ask for, on which live names, and what each type
 * change asks of its values. The migrations are the planner's own
 * operations between two versions of the definitions.
 */
import { describe, expect, it } from 'vitest';
import { SQL_DIALECTS as dialects } from '../../src/engines/index.js';
import { typeChecks } from '../../src/migrate/apply/data-check/column-types.js';
import { probeRun, probesBefore, type LiveCatalog, type PendingMigration } from '../../src/migrate/apply/data-check/derive.js';
import { probeResult, type DataCheckEntry, type DataReport } from '../../src/migrate/apply/data-check/preflight.js';
import { SAMPLE_CHARS, shownValue, type Probe } from '../../src/port/data-check.js';
import { renderDataChecks } from '../../src/render/migrations.js';
import { type Renames } from '../../src/plan/plan.js';
import { foldOperations } from '../../src/plan/fold.js';
import { agents } from '../../src/schema/agents.js';
import { chat } from '../../src/schema/chat.js';
import { num, setNull, t, type SchemaDef } from '../../src/schema/definition.js';
import type { DbSchema, Dialect } from '../../src/schema/model.js';
import { normal } from '../support/normal.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { column, evolve, renameTable, table } from '../support/evolutions.js';
import { planChange } from '../support/planners.js';

const variant = (s: SchemaDef, d: Dialect): DbSchema => normal(resolveSchema(s, dialects[d].rules));

/** Migrations from `base` through each definition in turn, as `dbkit make` would plan them. */
function run(dialect: Dialect, base: SchemaDef, steps: Array<{ name: string; to?: SchemaDef; renames?: Renames; sql?: string[] }>): PendingMigration[] {
  let before = variant(base, dialect);
  return steps.map((s) => {
    const ops = s.to ? planChange(before, variant(s.to, dialect), { renames: s.renames, purpose: 'migration' }).operations : [];
    const m: PendingMigration = { name: s.name, handWritten: !s.to, operations: ops, statements: s.sql ?? [], before };
    before = normal(foldOperations(before, ops));
    return m;
  });
}

/** Every table and column of a model is in the database. */
const liveOf = (model: DbSchema): LiveCatalog => ({
  hasTable: (x) => model.tables.some((tb) => tb.name === x),
  hasColumn: (x, c) => model.tables.some((tb) => tb.name === x && tb.columns.some((col) => col.name === c)),
});

const brief = (p: Probe) => ({ migration: p.migration, table: p.table, effect: p.effect, condition: p.condition, samples: p.samples.map((s) => `${s.column}:${s.show}`) });

const tightened = evolve(agents, (s) => {
  column(s, 'files', 'file_hash').unique = true;
  column(s, 'gallery', 'description').notNull = true;
  column(s, 'sessions', 'title').type = t.varchar(20);
  delete column(s, 'gallery', 'run_id').references;
});
const referenced = evolve(tightened, (s) => (column(s, 'gallery', 'run_id').references = setNull('runs')));

describe('probes of a run', () => {
  it('count duplicates, NULLs, long values and orphans on the live names, with primary keys as samples', () => {
    for (const dialect of ['postgres', 'mysql'] as const) {
      const ms = run(dialect, evolve(tightened, (s) => {
        column(s, 'files', 'file_hash').unique = false;
        column(s, 'gallery', 'description').notNull = false;
        column(s, 'sessions', 'title').type = t.varchar(255);
      }), [{ name: 'm1', to: tightened }, { name: 'm2', to: referenced }]);
      const probes = probeRun(dialect, ms, liveOf(ms[0]!.before));
      expect(probes.unchecked).toEqual([]);
      expect(probes.deferred.size).toBe(0);
      expect(probes.upFront.map(brief)).toEqual(
        expect.arrayContaining([
          { migration: 'm1', table: 'gallery', effect: 'fails', condition: { kind: 'nulls', columns: ['description'] }, samples: ['id:key'] },
          { migration: 'm1', table: 'sessions', effect: 'fails', condition: { kind: 'too_long', column: 'title', max: 20, unit: 'chars' }, samples: ['id:key', 'title:chars'] },
          { migration: 'm1', table: 'files', effect: 'fails', condition: { kind: 'duplicates', columns: ['file_hash'], where: null }, samples: ['file_hash:value'] },
          { migration: 'm2', table: 'gallery', effect: 'fails', condition: { kind: 'orphans', columns: ['run_id'], refTable: 'runs', refColumns: ['id'] }, samples: ['id:key', 'run_id:value'] },
        ]),
      );
      expect(probes.upFront).toHaveLength(4);
      expect(probes.upFront.find((p) => p.condition.kind === 'orphans')!.says).toBe('{rows} of gallery with a (run_id) that no runs row has');
    }
  });

  it('follow renames back to the live names, and count nothing on tables the run creates', () => {
    const renamed = evolve(agents, (s) => {
      renameTable(s, 'gallery', 'albums');
      column(s, 'albums', 'description').name = 'about';
    });
    const strict = evolve(renamed, (s) => {
      column(s, 'albums', 'about').notNull = true;
      s.tables.push({ name: 'tags', columns: [{ name: 'id', type: t.id() }, { name: 'label', type: t.varchar(50), notNull: true }] });
    });
    const tagged = evolve(strict, (s) => (column(s, 'tags', 'label').unique = true));
    const ms = run('postgres', agents, [
      { name: 'rename', to: renamed, renames: { tables: { gallery: 'albums' }, columns: { albums: { description: 'about' } } } },
      { name: 'strict', to: strict },
      { name: 'tagged', to: tagged },
    ]);
    const probes = probeRun('postgres', ms, liveOf(ms[0]!.before));
    expect(probes.upFront.map(brief)).toEqual([
      { migration: 'strict', table: 'gallery', effect: 'fails', condition: { kind: 'nulls', columns: ['description'] }, samples: ['id:key'] },
    ]);
    expect(probes.upFront[0]!.says).toBe('{rows} with NULL in albums.about');
    expect(probes.unchecked).toEqual([]);
  });

  it('say which changes over a column the run adds are not counted, and count no orphans under a column added empty', () => {
    const added = evolve(agents, (s) => table(s, 'files').columns.push({ name: 'owner', type: t.varchar(40) }, { name: 'session_id', type: t.ref() }));
    const strict = evolve(added, (s) => {
      column(s, 'files', 'owner').notNull = true;
      column(s, 'files', 'session_id').references = setNull('sessions');
    });
    const ms = run('mysql', agents, [{ name: 'add', to: added }, { name: 'strict', to: strict }]);
    const probes = probeRun('mysql', ms, liveOf(ms[0]!.before));
    expect(probes.upFront).toEqual([]);
    expect(probes.unchecked).toEqual([
      { migration: 'strict', operation: expect.any(Number), change: 'alter column files.owner: NOT NULL', why: 'a column it covers is added earlier in this run' },
    ]);
  });

  it('wait for a migration after a hand-written one that names its tables, and count the rest up front', () => {
    const strict = evolve(agents, (s) => {
      column(s, 'gallery', 'description').notNull = true;
      column(s, 'sessions', 'title').type = t.varchar(20);
    });
    const ms = run('postgres', agents, [
      // Names gallery (quoted), not sessions (sessions_archive is another word).
      { name: 'backfill', sql: ["UPDATE \"gallery\" SET description = '' WHERE description IS NULL AND id NOT IN (SELECT id FROM sessions_archive)"] },
      { name: 'strict', to: strict },
    ]);
    const probes = probeRun('postgres', ms, liveOf(ms[0]!.before));
    expect(probes.upFront.map((p) => p.table)).toEqual(['sessions']);
    const waiting = probes.deferred.get('strict')!;
    expect(waiting).toHaveLength(1);
    const later = probesBefore('postgres', ms[1]!, waiting, liveOf(ms[1]!.before));
    expect(later.probes.map(brief)).toEqual([
      { migration: 'strict', table: 'gallery', effect: 'fails', condition: { kind: 'nulls', columns: ['description'] }, samples: ['id:key'] },
    ]);
  });

  it('count rows lost by drops, and a NOT NULL column without default: fails on PostgreSQL, an implicit default on MySQL', () => {
    const changed = evolve(agents, (s) => {
      s.tables = s.tables.filter((x) => x.name !== 'gallery');
      table(s, 'files').columns = table(s, 'files').columns.filter((c) => c.name !== 'file_hash');
      table(s, 'users').columns.push({ name: 'tz', type: t.varchar(40), notNull: true });
      table(s, 'users').columns.push({ name: 'karma', type: t.int(), notNull: true, default: num(0) });
    });
    for (const dialect of ['postgres', 'mysql'] as const) {
      const ms = run(dialect, agents, [{ name: 'm', to: changed }]);
      const probes = probeRun(dialect, ms, liveOf(ms[0]!.before)).upFront.map(brief);
      expect(probes).toEqual(
        expect.arrayContaining([
          { migration: 'm', table: 'gallery', effect: 'loses', condition: { kind: 'rows' }, samples: ['id:key'] },
          { migration: 'm', table: 'files', effect: 'loses', condition: { kind: 'values', column: 'file_hash' }, samples: ['id:key'] },
          { migration: 'm', table: 'users', effect: dialect === 'postgres' ? 'fails' : 'loses', condition: { kind: 'rows' }, samples: ['id:key'] },
        ]),
      );
      expect(probes).toHaveLength(3);
    }
  });

  it('skip what is not in the database (a stopped run already did it)', () => {
    const ms = run('postgres', agents, [{ name: 'm', to: evolve(agents, (s) => (table(s, 'files').columns = table(s, 'files').columns.filter((c) => c.name !== 'file_hash'))) }]);
    const live: LiveCatalog = { hasTable: () => true, hasColumn: (x, c) => !(x === 'files' && c === 'file_hash') };
    expect(probeRun('postgres', ms, live).upFront).toEqual([]);
  });

  it('count the rows holding an enum label removed (PostgreSQL: every column of the type)', () => {
    const removed = evolve(chat, (s) => (column(s, 'messages', 'content_type').type = t.enum('text', 'image_url')));
    for (const dialect of ['postgres', 'mysql'] as const) {
      const ms = run(dialect, chat, [{ name: 'm', to: removed }]);
      const probes = probeRun(dialect, ms, liveOf(ms[0]!.before)).upFront;
      expect(probes.map((p) => [p.table, p.effect, p.condition])).toEqual([['messages', 'fails', { kind: 'not_in', column: 'content_type', labels: ['text', 'image_url'] }]]);
    }
  });
});

describe('type changes', () => {
  const none = () => null;
  const kinds = (d: Dialect, from: string, to: string) =>
    typeChecks(d, 'c', 't.c', from, to, (n) => (n === 'mood' ? ['ok', 'sad'] : null)).map((x) => ('unchecked' in x ? `unchecked: ${x.unchecked}` : [x.effect, x.condition]));

  it('ask nothing of a safe change', () => {
    expect(typeChecks('postgres', 'c', 't.c', 'varchar(50)', 'varchar(80)', none)).toEqual([]);
    expect(typeChecks('postgres', 'c', 't.c', 'integer', 'bigint', none)).toEqual([]);
    expect(typeChecks('mysql', 'c', 't.c', "enum('a','b')", "enum('a','b','c')", none)).toEqual([]);
  });

  it('count values too long, out of range, with too many digits, rounded, not converting, or no label', () => {
    expect(kinds('postgres', 'varchar(300)', 'varchar(20)')).toEqual([['fails', { kind: 'too_long', column: 'c', max: 20, unit: 'chars' }]]);
    expect(kinds('mysql', 'longtext', 'text')).toEqual([['fails', { kind: 'too_long', column: 'c', max: 65535, unit: 'bytes' }]]);
    expect(kinds('postgres', 'bigint', 'integer')).toEqual([['fails', { kind: 'out_of_range', column: 'c', min: '-2147483648', max: '2147483647' }]]);
    expect(kinds('mysql', 'int', 'int unsigned')).toEqual([['fails', { kind: 'out_of_range', column: 'c', min: '0', max: '4294967295' }]]);
    expect(kinds('mysql', 'bigint unsigned', 'bigint')).toEqual([['fails', { kind: 'out_of_range', column: 'c', min: '-9223372036854775808', max: '9223372036854775807' }]]);
    expect(kinds('postgres', 'numeric(10,2)', 'numeric(6,1)')).toEqual([
      ['fails', { kind: 'too_many_digits', column: 'c', digits: 5, scale: 1 }],
      ['loses', { kind: 'rounded', column: 'c', scale: 1 }],
    ]);
    expect(kinds('postgres', 'numeric(10,2)', 'integer')).toEqual([
      ['fails', { kind: 'out_of_range', column: 'c', min: '-2147483648', max: '2147483647' }],
      ['loses', { kind: 'rounded', column: 'c', scale: 0 }],
    ]);
    expect(kinds('postgres', 'text', 'jsonb')).toEqual([['fails', { kind: 'not_convertible', column: 'c', type: 'jsonb' }]]);
    expect(kinds('postgres', 'text', 'mood')).toEqual([['fails', { kind: 'not_in', column: 'c', labels: ['ok', 'sad'] }]]);
    expect(kinds('mysql', "enum('a','b')", "enum('a')")).toEqual([['fails', { kind: 'not_in', column: 'c', labels: ['a'] }]]);
    expect(kinds('postgres', 'timestamptz', 'timestamp')).toEqual(['unchecked: what timestamp drops of each time value (zone, fractions, time of day) is not counted']);
  });
});

describe('the report', () => {
  const entry = (over: Partial<DataCheckEntry & { count: number }>): DataCheckEntry =>
    ({
      migration: '20260101000000_tighten',
      operation: 0,
      change: 'add unique constraint (email) on users',
      check: 'duplicates',
      effect: 'fails',
      table: 'users',
      columns: ['email'],
      count: 2,
      rows: 5,
      samples: [{ email: 'a@x', rows: 3 }, { email: 'b@x', rows: 2 }],
      message: '2 values of users (email) held by more than one row (5 rows)',
      status: 'refused',
      ...over,
    }) as DataCheckEntry;

  it('names each migration and change, its count and samples, and what is allowed or not counted', () => {
    const report: DataReport = {
      upFront: true,
      refused: true,
      entries: [
        entry({}),
        entry({ operation: 1, change: 'drop column users.bio', check: 'values', effect: 'loses', count: 1, rows: undefined, samples: [{ id: '7' }], message: '1 row with a value in users.bio, lost with the column', status: 'allowed' }),
        entry({ operation: 2, change: 'alter column users.name: NOT NULL', check: 'nulls', count: 0, rows: undefined, samples: [], message: '0 rows with NULL in users.name', status: 'ok' }),
        { migration: '20260101000000_tighten', operation: 3, change: 'alter column users.at: timestamptz -> timestamp', count: null, status: 'unchecked', message: 'not counted: the zone is not counted' },
        { migration: '20260102000000_later', count: null, status: 'deferred', message: 'counted just before it starts' },
      ],
    };
    expect(renderDataChecks(report, false)).toBe(
      [
        'data pre-flight (before the first statement):',
        '  20260101000000_tighten: add unique constraint (email) on users',
        '    refused: 2 values of users (email) held by more than one row (5 rows) (the change would fail); e.g. email=a@x (3 rows), email=b@x (2 rows)',
        '  20260101000000_tighten: drop column users.bio',
        '    allowed: 1 row with a value in users.bio, lost with the column (--allow-data-loss); e.g. id=7',
        '  20260101000000_tighten: alter column users.name: NOT NULL',
        '    ok: 0 rows with NULL in users.name',
        '  20260101000000_tighten: alter column users.at: timestamptz -> timestamp',
        '    not counted: the zone is not counted',
        '  20260102000000_later',
        '    later: counted just before it starts',
      ].join('\n'),
    );
  });

  it('cuts a sample value past 40 characters and marks it with …, in the entry (--json) and in the text; keys and lengths whole', () => {
    const forty = 'Analyze sales.csv and chart conversion b';
    expect([...forty]).toHaveLength(SAMPLE_CHARS);
    expect(shownValue(forty)).toBe(forty);
    expect(shownValue(`${forty}y`)).toBe(`${forty}…`);
    // Characters, not UTF-16 units: the emoji is one, as the engines' LEFT counts it.
    expect(shownValue('📈'.repeat(41))).toBe(`${'📈'.repeat(40)}…`);
    expect(shownValue('📈'.repeat(40))).toBe('📈'.repeat(40));

    // The rows as the probe's query brings them: the value read one character longer than shown.
    const probe: Probe = {
      migration: 'm',
      operation: 0,
      change: 'drop column sessions.title',
      effect: 'loses',
      table: 'sessions',
      condition: { kind: 'values', column: 'title' },
      samples: [
        { column: 'id', show: 'key' },
        { column: 'title', show: 'value' },
        { column: 'title', show: 'chars' },
      ],
      says: '{rows} with a value in sessions.title, lost with the column',
    };
    const longKey = 'k'.repeat(50);
    const found = probeResult(probe, [
      { n: 2, k0: longKey, k1: `${forty}y`, k2: 57 },
      { n: 2, k0: '2', k1: 'short', k2: 5 },
    ]);
    expect(found.samples).toEqual([
      { id: longKey, title: `${forty}…`, 'char_length(title)': 57 },
      { id: '2', title: 'short', 'char_length(title)': 5 },
    ]);
    const report: DataReport = { upFront: true, refused: true, entries: [{ ...found, status: 'refused' }] };
    expect(renderDataChecks(report, false).split('\n')[2]).toBe(
      `    refused: 2 rows with a value in sessions.title, lost with the column (lost without --allow-data-loss); e.g. (id=${longKey}, title=${forty}…, char_length(title)=57), (id=2, title=short, char_length(title)=5)`,
    );
  });

  it('is one line when nothing is in the way', () => {
    const ok = entry({ count: 0, rows: 0, samples: [], status: 'ok' });
    expect(renderDataChecks({ upFront: false, migration: 'm2', refused: false, entries: [ok, ok] }, false)).toBe('data pre-flight (just before m2): 2 counts on the live data, nothing in the way');
  });
});
