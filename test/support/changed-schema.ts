/**
 * The agents definition after a few weeks of changes the seed generator was
 * not written for (issue 12): new columns (nullable, NOT NULL without
 * default, with a default, an enum, a unique one, a NOT NULL reference),
 * a column the generator writes removed, and new tables (per user, no
 * user's, referencing both, one with a nullable reference to users, one
 * without an id key).
 */
import { agents } from '../../src/schema/agents.js';
import { cascade, num, t, type SchemaDef, type TableDef } from '../../src/schema/definition.js';

/** The agents definition after a few weeks of changes. */
export function changedAgents(): SchemaDef {
  const def = structuredClone(agents);
  const table = (name: string) => def.tables.find((x) => x.name === name)!;
  table('users').columns.push(
    { name: 'bio', type: t.text() },
    { name: 'handle', type: t.varchar(30), notNull: true, unique: true },
    { name: 'plan', type: t.enum('free', 'pro', 'team'), notNull: true },
    { name: 'karma', type: t.int(), notNull: true, default: num(0) },
    { name: 'website_url', type: t.varchar(200) },
  );
  // A column the generator writes, gone from the definition.
  table('sessions').columns = table('sessions').columns.filter((c) => c.name !== 'title');
  table('messages').columns.push({ name: 'session_id', type: t.ref(), notNull: true, references: cascade('sessions') }, { name: 'tokens', type: t.int(), notNull: true });
  const newTables: TableDef[] = [
    {
      name: 'api_keys',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'user_id', type: t.ref(), notNull: true, references: cascade('users') },
        { name: 'name', type: t.varchar(100), notNull: true },
        { name: 'token_hash', type: t.varchar(64), notNull: true, unique: true },
        { name: 'last_used_at', type: t.timestamp() },
      ],
    },
    { name: 'labels', columns: [{ name: 'id', type: t.id() }, { name: 'name', type: t.varchar(40), notNull: true, unique: true }, { name: 'color', type: t.varchar(7) }] },
    {
      name: 'run_labels',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'run_id', type: t.ref(), notNull: true, references: cascade('runs') },
        { name: 'label_id', type: t.ref(), notNull: true, references: { table: 'labels', onDelete: 'RESTRICT' } },
        { name: 'metadata', type: t.json() },
        { name: 'tags', type: t.textArray() },
      ],
    },
    // A user's rows that do not surely go with the user (nullable reference): taken back by id.
    {
      name: 'feedback',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'user_id', type: t.ref(), references: cascade('users') },
        { name: 'body', type: t.text(), notNull: true },
        { name: 'score', type: t.smallint(), notNull: true },
      ],
    },
    // No id key: not seeded.
    { name: 'audit_log', columns: [{ name: 'at', type: t.timestamp(), notNull: true }, { name: 'what', type: t.text(), notNull: true }] },
  ];
  def.tables.push(...newTables);
  return def;
}

