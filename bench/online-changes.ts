/**
 * The changes bench/online.ts applies, in order, to a table `events` added to
 * the agents definition: each as an edit of the definition (what `dbkit
 * make` turns into a migration) and as the plain DDL a developer would write
 * by hand on each engine (the baseline). Together they cover each of the 14
 * changes of issue 19's list (ISSUE_LIST; checkCoverage): the bench refuses
 * to start when one is missing.
 */

/** Issue 19's list of changes (its sprint), each of which the bench must measure. */
export const ISSUE_LIST = [
  'nullable column',
  'foreign key',
  'NOT NULL with default',
  'index',
  'new table',
  'enum value',
  'column rename',
  'table rename',
  'widen varchar',
  'narrow varchar',
  'int to bigint',
  'drop column',
  'UNIQUE',
  'SET NOT NULL',
] as const;

export type IssueItem = (typeof ISSUE_LIST)[number];

/** What the definition of `events` says at a point of the sequence. */
export interface EventsState {
  /** The table's name (renamed last). */
  table: string;
  index: boolean;
  fk: boolean;
  status: boolean;
  labelNotNull: boolean;
  labelLength: number;
  titleLength: number;
  nBigint: boolean;
  codeUnique: boolean;
  tags: boolean;
  /** The nullable column, once added: its name (renamed later), or null. */
  note: string | null;
  /** The labels of the enum column `kind`. */
  kinds: string[];
}

export const START: EventsState = {
  table: 'events',
  index: false,
  fk: false,
  status: false,
  labelNotNull: false,
  labelLength: 50,
  titleLength: 50,
  nBigint: false,
  codeUnique: false,
  tags: false,
  note: null,
  kinds: ['click', 'view'],
};

export interface OnlineChange {
  /** The migration's name (and the row's). */
  name: string;
  /** In words, for the table (after the list entry). */
  what: string;
  /** The entry of issue 19's list it measures. */
  item: IssueItem;
  apply(s: EventsState): void;
  /** More arguments of `dbkit make` (a rename is declared, never guessed). */
  make?: string[];
  /** More arguments of `dbkit migrate` (a dropped column's values: the live pre-flight wants --allow-data-loss). */
  migrate?: string[];
  /** The table's new name, when the change renames the table the inserter writes to. */
  renamesTable?: string;
  /** The plain DDL, no online care, as run by hand. */
  plain: { postgres: string[]; mysql: string[] };
}

export const CHANGES: OnlineChange[] = [
  {
    name: 'index',
    item: 'index',
    what: 'events(label)',
    apply: (s) => (s.index = true),
    plain: { postgres: ['CREATE INDEX idx_events_label ON events (label)'], mysql: ['ALTER TABLE events ADD INDEX idx_events_label (label)'] },
  },
  {
    name: 'foreign_key',
    item: 'foreign key',
    what: 'events.user_id -> users',
    apply: (s) => (s.fk = true),
    plain: {
      postgres: ['ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE'],
      mysql: ['ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE'],
    },
  },
  {
    name: 'not_null_with_default',
    item: 'NOT NULL with default',
    what: "new column status varchar(20) NOT NULL DEFAULT 'new'",
    apply: (s) => (s.status = true),
    plain: {
      postgres: ["ALTER TABLE events ADD COLUMN status varchar(20) NOT NULL DEFAULT 'new'"],
      mysql: ["ALTER TABLE events ADD COLUMN status varchar(20) NOT NULL DEFAULT 'new'"],
    },
  },
  {
    name: 'set_not_null',
    item: 'SET NOT NULL',
    what: 'events.label',
    apply: (s) => (s.labelNotNull = true),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN label SET NOT NULL'], mysql: ['ALTER TABLE events MODIFY COLUMN label varchar(50) NOT NULL'] },
  },
  {
    name: 'widen_varchar',
    item: 'widen varchar',
    what: 'label varchar(50) -> varchar(60)',
    apply: (s) => (s.labelLength = 60),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN label TYPE varchar(60)'], mysql: ['ALTER TABLE events MODIFY COLUMN label varchar(60) NOT NULL'] },
  },
  {
    name: 'varchar_over_255_bytes',
    item: 'widen varchar',
    what: 'title varchar(50) -> varchar(100) (utf8mb4: 200 -> 400 bytes)',
    apply: (s) => (s.titleLength = 100),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN title TYPE varchar(100)'], mysql: ['ALTER TABLE events MODIFY COLUMN title varchar(100)'] },
  },
  {
    name: 'int_to_bigint',
    item: 'int to bigint',
    what: 'events.n',
    apply: (s) => (s.nBigint = true),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN n TYPE bigint'], mysql: ['ALTER TABLE events MODIFY COLUMN n bigint'] },
  },
  {
    name: 'unique',
    item: 'UNIQUE',
    what: 'events(code)',
    apply: (s) => (s.codeUnique = true),
    plain: { postgres: ['ALTER TABLE events ADD UNIQUE (code)'], mysql: ['ALTER TABLE events ADD UNIQUE (code)'] },
  },
  {
    name: 'new_table',
    item: 'new table',
    what: 'event_tags, foreign key to events',
    apply: (s) => (s.tags = true),
    plain: {
      postgres: ['CREATE TABLE event_tags (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE, tag varchar(50) NOT NULL)'],
      mysql: [
        'CREATE TABLE event_tags (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, event_id bigint NOT NULL, tag varchar(50) NOT NULL, FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
      ],
    },
  },
  {
    name: 'add_column',
    item: 'nullable column',
    what: 'events.note text',
    apply: (s) => (s.note = 'note'),
    plain: { postgres: ['ALTER TABLE events ADD COLUMN note text'], mysql: ['ALTER TABLE events ADD COLUMN note text'] },
  },
  {
    name: 'enum_value',
    item: 'enum value',
    what: "'share' appended to events.kind ('click', 'view')",
    apply: (s) => (s.kinds = [...s.kinds, 'share']),
    plain: {
      // The type dbkit names for it: <table>_<column> (dialects/postgres/types.ts).
      postgres: ["ALTER TYPE events_kind ADD VALUE 'share'"],
      mysql: ["ALTER TABLE events MODIFY COLUMN kind enum('click','view','share')"],
    },
  },
  {
    name: 'rename_column',
    item: 'column rename',
    what: 'events.note -> remark (make --rename)',
    apply: (s) => (s.note = 'remark'),
    make: ['--rename', 'events.note=remark'],
    plain: { postgres: ['ALTER TABLE events RENAME COLUMN note TO remark'], mysql: ['ALTER TABLE events RENAME COLUMN note TO remark'] },
  },
  {
    name: 'narrow_varchar',
    item: 'narrow varchar',
    what: 'title varchar(100) -> varchar(50)',
    apply: (s) => (s.titleLength = 50),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN title TYPE varchar(50)'], mysql: ['ALTER TABLE events MODIFY COLUMN title varchar(50)'] },
  },
  {
    name: 'drop_column',
    item: 'drop column',
    what: "events.status (every row holds 'new')",
    apply: (s) => (s.status = false),
    migrate: ['--allow-data-loss'],
    plain: { postgres: ['ALTER TABLE events DROP COLUMN status'], mysql: ['ALTER TABLE events DROP COLUMN status'] },
  },
  {
    name: 'rename_table',
    item: 'table rename',
    what: 'events -> event_log (make --rename), the table the inserts go to',
    apply: (s) => (s.table = 'event_log'),
    make: ['--rename', 'events=event_log'],
    renamesTable: 'event_log',
    plain: { postgres: ['ALTER TABLE events RENAME TO event_log'], mysql: ['RENAME TABLE events TO event_log'] },
  },
];

/** The entries of issue 19's list that no change measures (none, or the bench refuses to start). */
export const uncovered = (changes: OnlineChange[]): IssueItem[] => ISSUE_LIST.filter((item) => !changes.some((c) => c.item === item));

/** The definition of `events` (and `event_tags`) as TypeScript, for src/schema/agents.ts. */
export function eventsDefinition(s: EventsState): string {
  const columns = [
    "{ name: 'id', type: t.id() }",
    `{ name: 'user_id', type: t.ref()${s.fk ? ", references: cascade('users')" : ''} }`,
    `{ name: 'n', type: t.${s.nBigint ? 'bigint' : 'int'}() }`,
    `{ name: 'label', type: t.varchar(${s.labelLength})${s.labelNotNull ? ', notNull: true' : ''} }`,
    `{ name: 'title', type: t.varchar(${s.titleLength}) }`,
    `{ name: 'code', type: t.varchar(40)${s.codeUnique ? ', unique: true' : ''} }`,
    `{ name: 'kind', type: t.enum(${s.kinds.map((k) => `'${k}'`).join(', ')}) }`,
    ...(s.status ? ["{ name: 'status', type: t.varchar(20), notNull: true, default: str('new') }"] : []),
    ...(s.note ? [`{ name: '${s.note}', type: t.text() }`] : []),
    'createdAt',
  ];
  const events = `    {\n      name: '${s.table}',\n      columns: [\n        ${columns.join(',\n        ')},\n      ],${s.index ? "\n      indexes: [{ name: 'idx_events_label', columns: ['label'] }]," : ''}\n    },\n`;
  const tags = s.tags
    ? `    {\n      name: 'event_tags',\n      columns: [\n        { name: 'id', type: t.id() },\n        { name: 'event_id', type: t.ref(), notNull: true, references: cascade('${s.table}') },\n        { name: 'tag', type: t.varchar(50), notNull: true },\n      ],\n    },\n`
    : '';
  return `${MARK_START}\n${events}${tags}${MARK_END}\n`;
}

export const MARK_START = '    // bench/online: events';
export const MARK_END = '    // bench/online: end';
