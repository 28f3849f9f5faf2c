/**
 * The changes bench/online.ts applies, in order, to a table `events` added to
 * the agents definition: each as an edit of the definition (what `dbkit
 * make` turns into a migration) and as the plain DDL a developer would write
 * by hand on each engine (the baseline).
 */

/** What the definition of `events` says at a point of the sequence. */
export interface EventsState {
  index: boolean;
  fk: boolean;
  status: boolean;
  labelNotNull: boolean;
  labelLength: number;
  titleLength: number;
  nBigint: boolean;
  codeUnique: boolean;
  tags: boolean;
  note: boolean;
}

export const START: EventsState = {
  index: false,
  fk: false,
  status: false,
  labelNotNull: false,
  labelLength: 50,
  titleLength: 50,
  nBigint: false,
  codeUnique: false,
  tags: false,
  note: false,
};

export interface OnlineChange {
  /** The migration's name (and the row's). */
  name: string;
  /** In words, for the table. */
  what: string;
  apply(s: EventsState): void;
  /** The plain DDL, no online care, as run by hand. */
  plain: { postgres: string[]; mysql: string[] };
}

export const CHANGES: OnlineChange[] = [
  {
    name: 'index',
    what: 'index on events(label)',
    apply: (s) => (s.index = true),
    plain: { postgres: ['CREATE INDEX idx_events_label ON events (label)'], mysql: ['ALTER TABLE events ADD INDEX idx_events_label (label)'] },
  },
  {
    name: 'foreign_key',
    what: 'foreign key events.user_id -> users',
    apply: (s) => (s.fk = true),
    plain: {
      postgres: ['ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE'],
      mysql: ['ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE'],
    },
  },
  {
    name: 'not_null_with_default',
    what: "new column NOT NULL DEFAULT 'new'",
    apply: (s) => (s.status = true),
    plain: {
      postgres: ["ALTER TABLE events ADD COLUMN status varchar(20) NOT NULL DEFAULT 'new'"],
      mysql: ["ALTER TABLE events ADD COLUMN status varchar(20) NOT NULL DEFAULT 'new'"],
    },
  },
  {
    name: 'set_not_null',
    what: 'SET NOT NULL on events.label',
    apply: (s) => (s.labelNotNull = true),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN label SET NOT NULL'], mysql: ['ALTER TABLE events MODIFY COLUMN label varchar(50) NOT NULL'] },
  },
  {
    name: 'widen_varchar',
    what: 'varchar(50) -> varchar(60)',
    apply: (s) => (s.labelLength = 60),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN label TYPE varchar(60)'], mysql: ['ALTER TABLE events MODIFY COLUMN label varchar(60) NOT NULL'] },
  },
  {
    name: 'varchar_over_255_bytes',
    what: 'varchar(50) -> varchar(100) (utf8mb4: 200 -> 400 bytes)',
    apply: (s) => (s.titleLength = 100),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN title TYPE varchar(100)'], mysql: ['ALTER TABLE events MODIFY COLUMN title varchar(100)'] },
  },
  {
    name: 'int_to_bigint',
    what: 'int -> bigint',
    apply: (s) => (s.nBigint = true),
    plain: { postgres: ['ALTER TABLE events ALTER COLUMN n TYPE bigint'], mysql: ['ALTER TABLE events MODIFY COLUMN n bigint'] },
  },
  {
    name: 'unique',
    what: 'UNIQUE (code)',
    apply: (s) => (s.codeUnique = true),
    plain: { postgres: ['ALTER TABLE events ADD UNIQUE (code)'], mysql: ['ALTER TABLE events ADD UNIQUE (code)'] },
  },
  {
    name: 'new_table',
    what: 'new table event_tags (foreign key to events)',
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
    what: 'new nullable column',
    apply: (s) => (s.note = true),
    plain: { postgres: ['ALTER TABLE events ADD COLUMN note text'], mysql: ['ALTER TABLE events ADD COLUMN note text'] },
  },
];

/** The definition of `events` (and `event_tags`) as TypeScript, for src/schema/agents.ts. */
export function eventsDefinition(s: EventsState): string {
  const columns = [
    "{ name: 'id', type: t.id() }",
    `{ name: 'user_id', type: t.ref()${s.fk ? ", references: cascade('users')" : ''} }`,
    `{ name: 'n', type: t.${s.nBigint ? 'bigint' : 'int'}() }`,
    `{ name: 'label', type: t.varchar(${s.labelLength})${s.labelNotNull ? ', notNull: true' : ''} }`,
    `{ name: 'title', type: t.varchar(${s.titleLength}) }`,
    `{ name: 'code', type: t.varchar(40)${s.codeUnique ? ', unique: true' : ''} }`,
    ...(s.status ? ["{ name: 'status', type: t.varchar(20), notNull: true, default: str('new') }"] : []),
    ...(s.note ? ["{ name: 'note', type: t.text() }"] : []),
    'createdAt',
  ];
  const events = `    {\n      name: 'events',\n      columns: [\n        ${columns.join(',\n        ')},\n      ],${s.index ? "\n      indexes: [{ name: 'idx_events_label', columns: ['label'] }]," : ''}\n    },\n`;
  const tags = s.tags
    ? "    {\n      name: 'event_tags',\n      columns: [\n        { name: 'id', type: t.id() },\n        { name: 'event_id', type: t.ref(), notNull: true, references: cascade('events') },\n        { name: 'tag', type: t.varchar(50), notNull: true },\n      ],\n    },\n"
    : '';
  return `${MARK_START}\n${events}${tags}${MARK_END}\n`;
}

export const MARK_START = '    // bench/online: events';
export const MARK_END = '    // bench/online: end';
