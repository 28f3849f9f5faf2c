import { describe, expect, it } from 'vitest';
import { checkIndexes } from '../../src/indexes/check.js';
import type { IndexReport } from '../../src/indexes/types.js';
import type { DbSchema, Index, Table } from '../../src/schema/model.js';
import { tableOf, VARIANTS, variantNames } from '../support/variants.js';

const table = tableOf;
const index = (name: string, columns: string[], extra: Partial<Index> = {}): Index => ({
  name,
  columns,
  unique: false,
  method: 'btree',
  where: null,
  ...extra,
});
const advisories = (r: IndexReport) => r.advisories.map((a) => [a.kind, a.table, a.index, a.columns]);
const problems = (r: IndexReport) => r.expected.filter((e) => e.status !== 'ok').map((e) => [e.status, e.table, e.name]);

/** What each variant built exactly as defined looks like. */
const SMELLS = {
  'agents/postgres': [
    ['unindexed_fk', 'gallery', null, ['run_id']],
    ['duplicate', 'settings', 'idx_settings_user_key', ['user_id', 'key']],
  ],
  // MySQL indexes gallery.run_id by itself.
  'agents/mysql': [['duplicate', 'settings', 'idx_settings_user_key', ['user_id', 'key']]],
  'chat/postgres': [['redundant', 'api_calls', 'idx_api_calls_user_id', ['user_id']]],
  'chat/mysql': [['redundant', 'api_calls', 'idx_user_id', ['user_id']]],
};

describe('check-indexes on the variants as defined', () => {
  it.each(variantNames)('%s: every expected index ok, and exactly its smells', (v) => {
    const report = checkIndexes(structuredClone(VARIANTS[v]()), VARIANTS[v]());
    expect(report.ok).toBe(true);
    expect(report.expected.length).toBeGreaterThan(0);
    expect(problems(report)).toEqual([]);
    expect(advisories(report)).toEqual(SMELLS[v]);
  });

  it.each(variantNames)('%s: --strict fails on the advisories', (v) => {
    expect(checkIndexes(structuredClone(VARIANTS[v]()), VARIANTS[v](), { strict: true }).ok).toBe(false);
  });

  it.each(variantNames)('%s: never advises dropping a unique index', (v) => {
    const actual = structuredClone(VARIANTS[v]());
    const report = checkIndexes(actual, VARIANTS[v]());
    const unique = new Set(actual.tables.flatMap((t) => t.indexes.filter((i) => i.unique).map((i) => `${t.name}.${i.name}`)));
    for (const a of report.advisories) expect(unique.has(`${a.table}.${a.index}`)).toBe(false);
  });

  it('lists the expected indexes with their shape, sorted by table and name', () => {
    const report = checkIndexes(structuredClone(VARIANTS['chat/mysql']()), VARIANTS['chat/mysql']());
    expect(report.expected.filter((e) => e.table === 'api_calls')).toEqual([
      { table: 'api_calls', name: 'conversation_id', columns: ['conversation_id'], unique: false, status: 'ok' },
      { table: 'api_calls', name: 'idx_created_at', columns: ['created_at'], unique: false, status: 'ok' },
      { table: 'api_calls', name: 'idx_model_name', columns: ['model_name'], unique: false, status: 'ok' },
      { table: 'api_calls', name: 'idx_user_id', columns: ['user_id'], unique: false, status: 'ok' },
      {
        table: 'api_calls',
        name: 'idx_user_model_date',
        columns: ['user_id', 'model_name', 'created_at'],
        unique: false,
        status: 'ok',
      },
      { table: 'api_calls', name: 'message_id', columns: ['message_id'], unique: false, status: 'ok' },
    ]);
  });
});

describe('check-indexes: expected index status', () => {
  const expected = VARIANTS['agents/postgres']();
  const check = (f: (a: DbSchema) => void) => {
    const actual = structuredClone(expected);
    f(actual);
    return checkIndexes(actual, expected);
  };
  const runs = (a: DbSchema) => table(a, 'runs');

  it('missing, wrong columns, wrong uniqueness, invalid: each named, and the check fails', () => {
    const report = check((a) => {
      runs(a).indexes = runs(a).indexes.filter((i) => i.name !== 'idx_runs_status');
      runs(a).indexes.find((i) => i.name === 'idx_runs_user_id')!.columns = ['user_id', 'status'];
      runs(a).indexes.find((i) => i.name === 'idx_runs_created_at')!.unique = true;
      runs(a).indexes.find((i) => i.name === 'idx_runs_session_id')!.valid = false;
    });
    expect(report.ok).toBe(false);
    expect(problems(report)).toEqual([
      ['wrong_unique', 'runs', 'idx_runs_created_at'],
      ['invalid', 'runs', 'idx_runs_session_id'],
      ['missing', 'runs', 'idx_runs_status'],
      ['wrong_columns', 'runs', 'idx_runs_user_id'],
    ]);
    // An invalid index is also an advisory; a failed index no longer covers its foreign key.
    expect(advisories(report)).toContainEqual(['invalid', 'runs', 'idx_runs_session_id', ['session_id']]);
    expect(advisories(report)).toContainEqual(['unindexed_fk', 'runs', null, ['session_id']]);
  });

  it('a missing table: all its indexes are missing', () => {
    const report = check((a) => void (a.tables = a.tables.filter((t) => t.name !== 'files')));
    expect(problems(report)).toEqual([['missing', 'files', 'idx_files_run_id']]);
  });

  it('MySQL implicit foreign-key index: any name, or any index leading with its columns', () => {
    const my = VARIANTS['chat/mysql']();
    const renamed = structuredClone(my);
    table(renamed, 'api_calls').indexes.find((i) => i.name === 'message_id')!.name = 'api_calls_message_id_foreign';
    expect(checkIndexes(renamed, my).ok).toBe(true);

    const covered = structuredClone(my);
    const t = table(covered, 'api_calls');
    t.indexes = t.indexes.filter((i) => i.name !== 'message_id');
    t.indexes.push(index('idx_message_model', ['message_id', 'model_name']));
    expect(problems(checkIndexes(covered, my))).toEqual([]);

    t.indexes = t.indexes.filter((i) => i.name !== 'idx_message_model');
    expect(problems(checkIndexes(covered, my))).toEqual([['missing', 'api_calls', 'message_id']]);
  });
});

describe('check-indexes: advisory rules', () => {
  const base = (): DbSchema => ({
    dialect: 'postgres',
    enums: [],
    triggers: [],
    tables: [
      {
        name: 't',
        comment: null,
        columns: [],
        primaryKey: { name: null, columns: ['id'] },
        uniques: [{ name: null, columns: ['a', 'b'] }],
        foreignKeys: [],
        indexes: [],
      },
    ],
  });
  const run = (f: (t: Table) => void) => {
    const s = base();
    f(s.tables[0]!);
    return advisories(checkIndexes(s, s));
  };
  const fk = (columns: string[]) => ({
    name: null,
    columns,
    refTable: 'p',
    refColumns: ['id'],
    onDelete: 'CASCADE' as const,
    onUpdate: 'NO ACTION' as const,
  });

  it('foreign keys: covered by the primary key, a unique constraint or an index leading with them, in any order', () => {
    expect(
      run((t) => {
        t.foreignKeys.push(fk(['id']), fk(['a']), fk(['c', 'd']), fk(['e']), fk(['f']));
        t.indexes.push(index('i_dc', ['d', 'c', 'x']), index('i_xe', ['x', 'e']), index('i_f', ['f'], { where: 'f > 0' }));
      }),
    ).toEqual([
      ['unindexed_fk', 't', null, ['e']],
      ['unindexed_fk', 't', null, ['f']],
    ]);
  });

  it('duplicates: of a key, of another index; the unique one of a pair is kept', () => {
    expect(
      run((t) => {
        t.indexes.push(
          index('i_id', ['id']),
          index('i_x1', ['x']),
          index('i_x2', ['x']),
          index('u_y', ['y'], { unique: true }),
          index('i_y', ['y']),
          index('i_z_hash', ['z'], { method: 'hash' }),
          index('i_z', ['z']),
        );
      }),
    ).toEqual([
      ['duplicate', 't', 'i_id', ['id']],
      ['duplicate', 't', 'i_x2', ['x']],
      ['duplicate', 't', 'i_y', ['y']],
    ]);
  });

  it("duplicates and prefixes beside the definition's own index: the hand-made one is advised for dropping, never the definition's", () => {
    const expected = base();
    expected.tables[0]!.indexes.push(index('idx_t_x', ['x']), index('idx_t_v', ['v']));
    const actual = structuredClone(expected);
    // Hand-made: sorted before the definition's, so the old rule (first by name kept) kept them instead.
    actual.tables[0]!.indexes.push(index('aaa_x', ['x']), index('aaa_vw', ['v', 'w']), index('aaa_u_x', ['x'], { unique: true }));
    const report = checkIndexes(actual, expected);
    expect(advisories(report)).toEqual([['duplicate', 't', 'aaa_x', ['x']]]);
    expect(report.advisories[0]!.message).toBe("Index aaa_x on t (x) duplicates the definition's index idx_t_x; drop it.");
    expect(report.ok).toBe(true);
  });

  it('redundant: a strict left prefix with the same method and predicate, never a unique index', () => {
    const s = base();
    s.tables[0]!.indexes.push(index('i_v', ['v']), index('i_vw', ['v', 'w']), index('i_vwx', ['v', 'w', 'x']));
    expect(checkIndexes(s, s).advisories[0]!.message).toBe(
      'Index i_v on t (v) is a left prefix of i_vwx (v, w, x); drop it.',
    );
    expect(
      run((t) => {
        t.indexes.push(
          index('i_a', ['a']),
          index('u_m', ['m'], { unique: true }),
          index('i_mn', ['m', 'n']),
          index('i_p', ['p'], { where: 'p > 0' }),
          index('i_pq', ['p', 'q']),
          index('i_r', ['r'], { where: 'r > 0' }),
          index('i_rs', ['r', 's'], { where: 'r > 0' }),
          index('i_v', ['v']),
          index('i_vw', ['v', 'w']),
          index('i_vwx', ['v', 'w', 'x']),
        );
      }),
    ).toEqual([
      ['redundant', 't', 'i_a', ['a']],
      ['redundant', 't', 'i_r', ['r']],
      ['redundant', 't', 'i_v', ['v']],
      ['redundant', 't', 'i_vw', ['v', 'w']],
    ]);
  });

  it('messages name the index and what makes it a smell', () => {
    const report = checkIndexes(structuredClone(VARIANTS['agents/postgres']()), VARIANTS['agents/postgres']());
    expect(report.advisories.map((a) => a.message)).toEqual([
      'Foreign key gallery (run_id) -> runs has no index leading with its columns: each delete or key update in runs scans gallery.',
      'Index idx_settings_user_key on settings (user_id, key) duplicates the unique constraint (user_id, key); drop it.',
    ]);
  });
});
