/**
 * make writes into a migration the lint allowances of what its author
 * accepted (a drop, a declared rename, a blocking change): each evolution of
 * the planner's tests, composed as make composes it, lints clean afterwards
 * except for findings make reports as unexplained, and those are listed here
 * on purpose (none today).
 */
import { describe, expect, it } from 'vitest';
import { withAllowances } from '../../src/migrate/author/allowances.js';
import { blockingChanges, composeMigration } from '../../src/migrate/author/compose.js';
import { migrationFiles } from '../../src/migrate/folder/folder.js';
import { DIALECTS, sqlFileName } from '../../src/migrate/folder/format.js';
import { lintReaders, migrationLintFiles } from '../../src/migrate/verify/lint-input.js';
import { lintFiles, findingLine } from '../../src/lint/engine.js';
import { noRenames } from '../../src/plan/plan.js';
import { chat } from '../../src/schema/chat.js';
import { t } from '../../src/schema/definition.js';
import { column, EVOLUTIONS, evolve, table } from '../support/evolutions.js';
import { plan } from '../support/planners.js';

describe('make writes the lint allowances of what it was told to accept', () => {
  for (const e of EVOLUTIONS) {
    it(`${e.name}: lints clean once composed`, async () => {
      const def = evolve(e.base, e.change);
      const made = composeMigration('20990101000000_change', plan(e.base, def, e.renames ?? { tables: {}, columns: {} }), def);
      const { migration, unexplained } = await withAllowances(made, e.base.name, e.base);
      expect(unexplained.map(findingLine)).toEqual([]);
      const files = migrationFiles(migration);
      const again = lintFiles(
        migrationLintFiles(`x/${made.meta.name}`, migration.meta, (d, dir) => files[sqlFileName(d, dir)]!, e.base, def),
        await lintReaders(DIALECTS),
      );
      expect(again.findings.map(findingLine)).toEqual([]);
      // Every allowance written is used (an unused one would be DBK003), and each has a reason.
      for (const a of again.allowed) expect(a.reason.length).toBeGreaterThan(10);
    });
  }
});

describe('the allowance make writes on a blocking statement says why it is there', () => {
  // An enum label added and a column dropped (make --allow-data-loss, no --allow-blocking): the up blocks
  // nothing; the down rewrites (PostgreSQL type swap) or copies (MySQL) messages. make gates the up only.
  const def = evolve(chat, (s) => {
    column(s, 'messages', 'role').type = t.enum('user', 'assistant', 'system', 'tool');
    table(s, 'messages').columns = table(s, 'messages').columns.filter((c) => c.name !== 'content_type');
  });
  const plans = plan(chat, def, noRenames());
  const allowLines = (text: string) => text.split('\n').filter((l) => l.startsWith('-- dbkit-lint: allow'));

  it('a down that blocks writes: listed by make, its allowance says the rollback blocks writes, not --allow-blocking', async () => {
    expect(blockingChanges(plans)).toEqual([]);
    expect(blockingChanges(plans, 'none', 'down')).toEqual([
      "PostgreSQL: rewrites table messages under an ACCESS EXCLUSIVE lock (alter enum type messages_role: remove 'tool'): reads and writes wait until it ends",
      "MySQL/MariaDB: copies table messages (alter column messages.role: enum('user','assistant','system','tool') -> enum('user','assistant','system')): writes wait until the copy ends (dbkit migrate --online pt-osc copies it without blocking them)",
    ]);
    // With pt-osc configured, the MySQL copy is not listed (it runs through the tool), as for the up.
    expect(blockingChanges(plans, 'pt-osc', 'down')).toEqual([
      "PostgreSQL: rewrites table messages under an ACCESS EXCLUSIVE lock (alter enum type messages_role: remove 'tool'): reads and writes wait until it ends",
    ]);
    const { migration, unexplained } = await withAllowances(composeMigration('20990101000000_enum_and_drop', plans, def), 'chat', chat);
    expect(unexplained).toEqual([]);
    const files = migrationFiles(migration);
    const rollback = 'the rollback blocks writes while it runs (listed by make; rollback is run on purpose; see the BLOCKS WRITES line of the header)';
    expect(allowLines(files['postgres.down.sql']!)).toEqual([`-- dbkit-lint: allow DBK201 ${rollback}`]);
    expect(allowLines(files['mysql.down.sql']!)).toEqual([`-- dbkit-lint: allow DBK203 ${rollback}`]);
    expect(files['postgres.down.sql']).toContain(
      `-- dbkit-lint: allow DBK201 ${rollback}\nALTER TABLE "messages" ALTER COLUMN "role" TYPE "messages_role__new" USING "role"::text::"messages_role__new";`,
    );
    const dropped = '-- dbkit-lint: allow DBK501 the column is dropped on purpose (made with --allow-data-loss; migrate counts the rows it loses before running)';
    expect(allowLines(files['postgres.up.sql']!)).toEqual([dropped]);
    expect(allowLines(files['mysql.up.sql']!)).toEqual([dropped]);
    for (const f of Object.keys(files)) expect(files[f]).not.toContain('--allow-blocking');
  });

  it('an up that blocks writes keeps the --allow-blocking reason; its down (a wider type back) says the rollback', async () => {
    const wider = evolve(chat, (s) => (column(s, 'api_calls', 'total_tokens').type = t.bigint()));
    const made = composeMigration('20990101000000_bigint', plan(chat, wider, noRenames()), wider);
    const files = migrationFiles((await withAllowances(made, 'chat', chat)).migration);
    const up = '-- dbkit-lint: allow DBK201 blocks writes while it runs: made with --allow-blocking (see the BLOCKS WRITES line of the header)';
    const down = '-- dbkit-lint: allow DBK201 the rollback blocks writes while it runs (listed by make; rollback is run on purpose; see the BLOCKS WRITES line of the header)';
    expect(allowLines(files['postgres.up.sql']!)).toEqual([up]);
    expect(allowLines(files['postgres.down.sql']!)).toEqual([down]);
    expect(allowLines(files['mysql.up.sql']!)).toEqual([up.replace('DBK201', 'DBK203')]);
    expect(allowLines(files['mysql.down.sql']!)).toEqual([down.replace('DBK201', 'DBK203')]);
  });
});
