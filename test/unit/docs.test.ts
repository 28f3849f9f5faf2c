/**
 * The pure renderers of `dbkit docs`: Mermaid words and cardinalities, the
 * side-by-side tables, Markdown escaping, determinism, and the live
 * document's marks of the differ's changes.
 */
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/diff/differ.js';
import { renderSchemaDoc } from '../../src/docs/document.js';
import { code, table, text } from '../../src/docs/markdown.js';
import { erDiagram, relationship, typeWord, word } from '../../src/docs/mermaid.js';
import { definitionDoc, liveDoc, refreshCommand } from '../../src/docs/sources.js';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import type { Table } from '../../src/schema/model.js';
import { normal } from '../support/normal.js';
import { tableOf } from '../support/variants.js';

/** One attribute line of the oldest erDiagram grammar GitHub/GitLab may use: `type name [PK, FK, UK] ["comment"]`. */
const ATTRIBUTE = /^ {4}[A-Za-z_][A-Za-z0-9_]* [A-Za-z_][A-Za-z0-9_]*( (PK|FK|UK)(, (PK|FK|UK))*)?( "[^"\n]*")?$/;
const RELATIONSHIP = /^ {2}[A-Za-z_][A-Za-z0-9_]* (\|\||\|o)(--|\.\.)(o\{|o\||\|\{|\|\|) [A-Za-z_][A-Za-z0-9_]* : "[^"\n]+"$/;

const section = (doc: string, heading: string): string => {
  const start = doc.indexOf(`\n### ${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const next = doc.indexOf('\n### ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
};

/** Cells of a GFM table row, split on unescaped pipes. */
const cells = (row: string): string[] =>
  row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

const rowOf = (md: string, first: string): string[] => {
  const line = md.split('\n').find((l) => l.startsWith(`| ${first} |`) || l.startsWith(`| ⚠ ${first} |`));
  expect(line, first).toBeDefined();
  return cells(line!);
};

describe('docs: Mermaid words', () => {
  it('types become one word of letters, digits and underscores', () => {
    expect(typeWord('varchar(255)')).toBe('varchar_255');
    expect(typeWord('numeric(10, 2)')).toBe('numeric_10_2');
    expect(typeWord('text[]')).toBe('text_array');
    expect(typeWord("enum('user','assistant','system')")).toBe('enum');
    expect(typeWord('timestamp with time zone')).toBe('timestamp_with_time_zone');
    expect(typeWord('character varying(50)')).toBe('character_varying_50');
    expect(typeWord('uuid')).toBe('uuid');
  });

  it('names that the grammar would take for something else are changed', () => {
    expect(word('user_id')).toBe('user_id');
    expect(word('pk')).toBe('pk_');
    expect(word('FK')).toBe('FK_');
    expect(word('2fa')).toBe('_2fa');
    expect(word('my col')).toBe('my_col');
  });

  const child = (over: Partial<Table>): Table => ({
    name: 'child',
    comment: null,
    columns: [
      { name: 'id', type: 'bigint', nullable: false, default: null, autoIncrement: true, onUpdate: null, comment: null },
      { name: 'parent_id', type: 'bigint', nullable: false, default: null, autoIncrement: false, onUpdate: null, comment: null },
    ],
    primaryKey: { name: null, columns: ['id'] },
    uniques: [],
    foreignKeys: [{ name: null, columns: ['parent_id'], refTable: 'parent', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' }],
    indexes: [],
    ...over,
  });

  it('cardinality follows the nullability and uniqueness of the foreign-key columns', () => {
    const t = child({});
    expect(relationship(t, t.foreignKeys[0]!)).toBe('  parent ||..o{ child : "parent_id"');
    const nullable = child({});
    nullable.columns[1]!.nullable = true;
    expect(relationship(nullable, nullable.foreignKeys[0]!)).toBe('  parent |o..o{ child : "parent_id"');
    const unique = child({ uniques: [{ name: null, columns: ['parent_id'] }] });
    expect(relationship(unique, unique.foreignKeys[0]!)).toBe('  parent ||..o| child : "parent_id"');
    const uniqueIndex = child({ indexes: [{ name: 'u', columns: ['parent_id'], unique: true, method: 'btree', where: null }] });
    expect(relationship(uniqueIndex, uniqueIndex.foreignKeys[0]!)).toBe('  parent ||..o| child : "parent_id"');
    const identifying = child({ primaryKey: { name: null, columns: ['parent_id'] } });
    expect(relationship(identifying, identifying.foreignKeys[0]!)).toBe('  parent ||--o| child : "parent_id"');
  });

  it('every line of both schemas\' diagrams, in all four variants, fits the strict grammar', () => {
    for (const schema of ['agents', 'chat']) {
      for (const dialect of ['postgres', 'mysql'] as const) {
        const v = normal(expectedVariant(schema, dialect));
        const lines = erDiagram(v.tables, { comments: true }).split('\n');
        expect(lines[0]).toBe('erDiagram');
        const relationships = lines.filter((l) => RELATIONSHIP.test(l));
        expect(relationships).toHaveLength(v.tables.reduce((n, t) => n + t.foreignKeys.length, 0));
        const attributes = lines.filter((l) => l.startsWith('    '));
        for (const a of attributes) expect(a, `${schema}/${dialect}`).toMatch(ATTRIBUTE);
        expect(attributes).toHaveLength(v.tables.reduce((n, t) => n + t.columns.length, 0));
        const entities = lines.filter((l) => /^ {2}[A-Za-z_][A-Za-z0-9_]* \{$/.test(l));
        expect(entities.map((l) => l.trim().split(' ')[0])).toEqual(v.tables.map((t) => t.name));
        expect(lines.length).toBe(1 + relationships.length + attributes.length + 2 * entities.length);
      }
    }
  });

  it('marks keys, and says which columns a composite unique key has', () => {
    const v = normal(expectedVariant('agents', 'postgres'));
    const lines = erDiagram([tableOf(v, 'settings'), tableOf(v, 'users')], { comments: true }).split('\n');
    expect(lines).toContain('    uuid id PK');
    expect(lines).toContain('    uuid user_id FK, UK "UNIQUE (user_id, key)"');
    expect(lines).toContain('    varchar_100 key UK "UNIQUE (user_id, key)"');
    expect(lines).toContain('    varchar_50 username UK');
  });

  it('comments lose double quotes and line breaks', () => {
    const v = normal(expectedVariant('chat', 'mysql'));
    const users = structuredClone(tableOf(v, 'users'));
    users.columns[1]!.comment = 'the "login"\nname';
    expect(erDiagram([users], { comments: true })).toContain(`    varchar_50 username UK "the 'login' name"`);
  });
});

describe('docs: Markdown', () => {
  it('escapes what would break a table cell or turn into markup, and keeps identifiers readable', () => {
    expect(text('idx_user_id')).toBe('idx_user_id');
    expect(text('a | b')).toBe('a \\| b');
    expect(text('<script>x</script> & *y*')).toBe('&lt;script>x&lt;/script> &amp; \\*y\\*');
    expect(text('_x_')).toBe('\\_x\\_');
    expect(text('two\nlines')).toBe('two lines');
    expect(code("enum('a|b')")).toBe("`enum('a\\|b')`");
    expect(code('a`b')).toBe('``a`b``');
    expect(table(['a', 'b'], [['1', '']])).toBe('| a | b |\n| --- | --- |\n| 1 |   |');
  });
});

describe('docs: definition documents', () => {
  const agents = renderSchemaDoc(definitionDoc('agents'));
  const chat = renderSchemaDoc(definitionDoc('chat'));

  it('are deterministic and say how to refresh them', () => {
    expect(renderSchemaDoc(definitionDoc('agents'))).toBe(agents);
    expect(agents.split('\n')[0]).toBe('<!-- Generated by dbkit docs: do not edit by hand. Refresh: dbkit docs; CI: dbkit docs --check -->');
    expect(agents).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(agents.endsWith('\n')).toBe(true);
    expect(refreshCommand({ out: 'site/db', schema: 'chat' })).toBe('dbkit docs --schema chat --out site/db');
    // The default folder (docs/schema) needs no --out; the old default, docs, does now.
    expect(refreshCommand({ out: 'docs/schema' })).toBe('dbkit docs');
    expect(refreshCommand({ out: 'docs' })).toBe('dbkit docs --out docs');
  });

  it('have one diagram with every table, and a section per table in the definition\'s order', () => {
    expect(agents.match(/^```mermaid$/gm)).toHaveLength(1);
    expect([...agents.matchAll(/^### (\S+)$/gm)].map((m) => m[1])).toEqual(['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery']);
    expect([...chat.matchAll(/^### (\S+)$/gm)].map((m) => m[1])).toEqual(['users', 'conversations', 'messages', 'api_calls']);
    expect(agents).toContain('Tables: [users](#users) · [sessions](#sessions)');
  });

  it('show the type of each variant side by side, the native one first', () => {
    const runs = section(agents, 'runs');
    expect(runs).toContain('| column | key | type (PostgreSQL) | type (MySQL) | nullable | default |');
    expect(rowOf(runs, '`id`')).toEqual(['`id`', 'PK', '`uuid`', '`bigint`', 'no', 'PostgreSQL: `gen_random_uuid()`<br>MySQL: AUTO_INCREMENT']);
    expect(rowOf(runs, '`status`')).toEqual(['`status`', '', '`varchar(20)`', '`varchar(20)`', 'no', "`'running'`"]);
    expect(rowOf(runs, '`session_id`')[1]).toBe('FK → sessions.id');
    const messages = section(chat, 'messages');
    expect(messages).toContain('| column | key | type (MySQL) | type (PostgreSQL) | nullable | default | comment |');
    expect(rowOf(messages, '`role`')).toEqual([
      '`role`',
      '',
      "`enum('user','assistant','system')`",
      '`messages_role`',
      'no',
      '',
      'Message role: user-user, assistant-AI assistant, system-system',
    ]);
    expect(rowOf(section(chat, 'users'), '`updated_at`')[5]).toBe(
      'MySQL: `CURRENT_TIMESTAMP` ON UPDATE `CURRENT_TIMESTAMP`<br>PostgreSQL: `CURRENT_TIMESTAMP` set on update by trigger `trg_users_updated_at`',
    );
    expect(chat).toContain('| `messages_role` | `user`, `assistant`, `system` | PostgreSQL only |');
  });

  it('list indexes by shape with each variant\'s name, constraints with ON DELETE, and advisories per variant', () => {
    const calls = section(chat, 'api_calls');
    const callIndexes = calls.slice(calls.indexOf('**Indexes**'));
    expect(rowOf(callIndexes, '`user_id, model_name, created_at`')).toEqual(['`user_id, model_name, created_at`', '', '`idx_user_model_date`', '`idx_api_calls_user_model_date`']);
    expect(rowOf(callIndexes, '`message_id`')).toEqual(['`message_id`', '', '`message_id` (implicit: made by MySQL for the foreign key)', '`idx_api_calls_message_id`']);
    expect(calls).toContain('- `FOREIGN KEY (message_id) REFERENCES messages (id)` ON DELETE SET NULL\n');
    expect(calls).toContain('- `redundant` (MySQL): Index idx_user_id on api_calls (user_id) is a left prefix of idx_user_model_date');
    expect(calls).toContain('- `redundant` (PostgreSQL): Index idx_api_calls_user_id on api_calls (user_id)');
    const gallery = section(agents, 'gallery');
    expect(rowOf(gallery.slice(gallery.indexOf('**Indexes**')), '`run_id`')).toEqual(['`run_id`', '', '—', '`run_id` (implicit: made by MySQL for the foreign key)']);
    expect(gallery).toContain('- `unindexed_fk` (PostgreSQL): Foreign key gallery (run_id) -> runs has no index');
    const settings = section(agents, 'settings');
    expect(settings).toContain('- `duplicate`: Index idx_settings_user_key on settings (user_id, key) duplicates the unique constraint');
    expect(settings).toContain('- `UNIQUE (user_id, key)`\n');
    expect(rowOf(settings, '`user_id`')[1]).toBe('FK → users.id, UK (user_id, key)');
    expect(section(chat, 'users')).toContain('- `trg_users_updated_at` BEFORE UPDATE, runs `set_updated_at()` — PostgreSQL only');
  });
});

describe('docs: a live database beside the definition', () => {
  it('marks each difference where it is, lists them per table, and draws the live schema', () => {
    const expected = normal(expectedVariant('agents', 'postgres'));
    const actual = structuredClone(expected);
    tableOf(actual, 'sessions').columns.find((c) => c.name === 'title')!.type = 'varchar(300)';
    const runs = tableOf(actual, 'runs');
    runs.indexes = runs.indexes.filter((i) => i.name !== 'idx_runs_status');
    tableOf(actual, 'users').columns.find((c) => c.name === 'email')!.comment = 'login | mail';
    tableOf(actual, 'gallery').foreignKeys.find((f) => f.columns[0] === 'run_id')!.onDelete = 'SET NULL';
    actual.tables.push({
      name: 'notes',
      comment: null,
      columns: [{ name: 'id', type: 'integer', nullable: false, default: null, autoIncrement: true, onUpdate: null, comment: null }],
      primaryKey: { name: 'notes_pkey', columns: ['id'] },
      uniques: [],
      foreignKeys: [],
      indexes: [],
    });
    actual.tables.push({ ...structuredClone(tableOf(actual, 'notes')), name: 'dbkit_migrations' });
    const changes = diff(normal(actual), expected);
    expect(changes).toHaveLength(5);
    const md = renderSchemaDoc(
      liveDoc({ schemaName: 'agents', dialect: 'postgres', where: 'postgres://app:****@db/app, namespace `public`', actual: normal(actual), changes, command: 'dbkit docs --url x' }),
    );
    expect(md).toContain('It differs from the definition in 5 places, marked ⚠.');
    expect(md).toContain('⚠ 5 differences (`dbkit diff`), marked ⚠ where they are: [gallery](#gallery) (1), [notes](#notes) (1), [runs](#runs) (1), [sessions](#sessions) (1) and [users](#users) (1).');
    expect(md).not.toContain('dbkit_migrations');
    expect(rowOf(section(md, 'sessions'), '`title`')).toEqual(['⚠ `title`', '', '`varchar(255)`', '`varchar(300)`', 'no', '']);
    expect(rowOf(section(md, 'users'), '`email`')[6]).toBe('definition: none<br>live: login \\| mail');
    const runIndexes = section(md, 'runs').slice(section(md, 'runs').indexOf('**Indexes**'));
    expect(rowOf(runIndexes, '`status`')).toEqual(['`status`', '', '⚠ `idx_runs_status`', '—']);
    expect(section(md, 'runs')).toContain('- ⚠ Index idx_runs_status (status) on runs is missing.');
    expect(section(md, 'gallery')).toContain(
      '- ⚠ `FOREIGN KEY (run_id) REFERENCES runs (id)` definition: ON DELETE CASCADE<br>live: ON DELETE SET NULL',
    );
    const notes = section(md, 'notes');
    expect(notes).toContain('*live only.*');
    expect(notes).toContain('- `PRIMARY KEY (id)` (named `notes_pkey` in live) — live only');
    // The diagram is the live one: the extra table is drawn, the changed foreign key too.
    const diagram = md.slice(md.indexOf('```mermaid'), md.indexOf('```\n', md.indexOf('```mermaid') + 3));
    expect(diagram).toContain('  notes {');
    expect(diagram).toContain('  runs |o..o{ gallery : "run_id"');
  });

  it('says so when the database matches', () => {
    const expected = normal(expectedVariant('chat', 'mysql'));
    const md = renderSchemaDoc(liveDoc({ schemaName: 'chat', dialect: 'mysql', where: 'x', actual: expected, changes: [], command: 'c' }));
    expect(md).toContain('It matches the definition.');
    expect(md).toContain('None: the database matches the definition (`dbkit diff` is clean).');
    expect(md).not.toContain('⚠');
  });
});
