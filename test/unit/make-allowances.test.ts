/**
 * make writes into a migration the lint allowances of what its author
 * accepted (a drop, a declared rename, a blocking change): each evolution of
 * the planner's tests, composed as make composes it, lints clean afterwards
 * except for findings make reports as unexplained, and those are listed here
 * on purpose (none today).
 */
import { describe, expect, it } from 'vitest';
import { withAllowances } from '../../src/migrate/allowances.js';
import { composeMigration, plan } from '../../src/migrate/compose.js';
import { migrationFiles } from '../../src/migrate/folder.js';
import { DIALECTS, sqlFileName } from '../../src/migrate/format.js';
import { lintReaders, migrationLintFiles } from '../../src/migrate/lint-input.js';
import { lintFiles, findingLine } from '../../src/lint/engine.js';
import { EVOLUTIONS, evolve } from '../support/evolutions.js';

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
