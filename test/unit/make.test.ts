/** dbkit make's pure parts: the name, declared renames, the composed migration. */
import { describe, expect, it } from 'vitest';
import { MAX_NAME, migrationSlug, timestamp } from '../../src/commands/make.js';
import { composeMigration, declaredRenames, gatedWarnings, isEmpty, parseRename } from '../../src/migrate/author/compose.js';
import { noRenames } from '../../src/plan/plan.js';
import { agents } from '../../src/schema/agents.js';
import type { SchemaDef } from '../../src/schema/definition.js';
import { plan } from '../support/planners.js';

const copy = (s: SchemaDef): SchemaDef => structuredClone(s);

describe('the migration name', () => {
  it('is a lower-case slug behind a UTC timestamp', () => {
    expect(migrationSlug(' Add user locale! ')).toBe('add_user_locale');
    expect(timestamp(new Date('2026-11-23T01:02:03Z'))).toBe('20261123010203');
  });

  it('an empty or too long name is a usage error (exit 2), not a file system error', () => {
    expect(() => migrationSlug('!!!')).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => migrationSlug('x'.repeat(300))).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining(`at most ${MAX_NAME}`) }));
    expect(migrationSlug('y'.repeat(MAX_NAME))).toHaveLength(MAX_NAME);
  });
});

describe('renames', () => {
  it('--rename declares a column (by its table) or a table rename', () => {
    const r = noRenames();
    parseRename('users.bio=about', r);
    parseRename('gallery=pictures', r);
    expect(r).toEqual({ tables: { gallery: 'pictures' }, columns: { users: { bio: 'about' } } });
    expect(() => parseRename('users.bio', r)).toThrow(/expected table.old_column=new_column/);
  });

  it('renamedFrom counts only where the snapshot has the old name and not the new one', () => {
    const snapshot = copy(agents);
    const def = copy(agents);
    const users = def.tables.find((t) => t.name === 'users')!;
    users.columns.find((c) => c.name === 'email')!.renamedFrom = 'mail'; // the snapshot has no `mail`: ignored
    Object.assign(users.columns.find((c) => c.name === 'username')!, { name: 'login', renamedFrom: 'username' });
    Object.assign(def.tables.find((t) => t.name === 'gallery')!, { name: 'pictures', renamedFrom: 'gallery' });
    expect(declaredRenames(def, snapshot)).toEqual({ tables: { gallery: 'pictures' }, columns: { users: { username: 'login' } } });
    expect(declaredRenames(snapshot, snapshot)).toEqual(noRenames());
  });
});

describe('composing', () => {
  it('no change: empty plans; a dropped column: gated, recorded as data loss, its down does not restore data', () => {
    expect(isEmpty(plan(agents, agents, noRenames()))).toBe(true);
    const def = copy(agents);
    const sessions = def.tables.find((t) => t.name === 'sessions')!;
    sessions.columns = sessions.columns.filter((c) => c.name !== 'config');
    const plans = plan(agents, def, noRenames());
    expect(gatedWarnings(plans)).toEqual(['drops column sessions.config (its values are lost)']);
    const m = composeMigration('20300101000000_drop_config', plans, def);
    for (const d of ['postgres', 'mysql'] as const) {
      expect(m.meta.dialects[d].up.dataLoss).toEqual(['drops column sessions.config (its values are lost)']);
      expect(m.meta.dialects[d].down.restoresData).toBe(false);
      expect(m.meta.dialects[d].up.statementOperations).toHaveLength(m.sql[d].up.length);
    }
    expect(m.sql.postgres.up).toEqual(['ALTER TABLE "sessions" DROP COLUMN "config"']);
    expect(m.meta.dialects.postgres.transactional).toBe(true);
    expect(m.meta.dialects.mysql.transactional).toBe(false);
  });
});
