/**
 * The repository's own frozen migrations lint clean as they are (they create
 * tables; their downs drop what their ups created), and lint reads each SQL
 * file into exactly the statements the runner runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/lint/source.js';
import { lintInputs, lintMigrations } from '../../src/migrate/verify/lint-input.js';
import { parseSqlFile } from '../../src/migrate/folder/format.js';
import { schemas } from '../../src/schema/registry.js';
import { repoRoot } from '../support/cli.js';

describe("lint on the repository's migrations", () => {
  it('finds nothing in any migration, both dialects, up and down', async () => {
    const results = await lintMigrations(Object.values(schemas));
    for (const r of results) {
      expect(r.findings, r.schema).toEqual([]);
      expect(r.notes, r.schema).toEqual([]);
      expect(r.migrations).toBeGreaterThan(3);
      expect(r.statements).toBeGreaterThan(20);
    }
  });

  it('counts statements exactly as the runner does (parseSqlFile)', () => {
    const dir = path.join(repoRoot, 'migrations');
    let files = 0;
    for (const schema of fs.readdirSync(dir)) {
      for (const m of fs.readdirSync(path.join(dir, schema)).filter((n) => /^\d{14}_/.test(n))) {
        for (const f of fs.readdirSync(path.join(dir, schema, m)).filter((n) => n.endsWith('.sql'))) {
          const text = fs.readFileSync(path.join(dir, schema, m, f), 'utf8');
          expect(splitStatements(text).map((s) => s.sql), `${schema}/${m}/${f}`).toEqual(parseSqlFile(text));
          files++;
        }
      }
    }
    expect(files).toBeGreaterThan(40);
  });

  it('gives each file the tables before it: none before the first migration, the previous snapshot after', () => {
    const files = lintInputs('agents', { name: 'agents', native: 'postgres' }, { dialects: ['postgres'] });
    const first = files.find((f) => f.direction === 'up')!;
    expect(first.tables!.size).toBe(0);
    const sessionsUp = files.find((f) => f.migration.endsWith('create_sessions') && f.direction === 'up')!;
    expect([...sessionsUp.tables!.keys()]).toEqual(['users']);
    expect(sessionsUp.tables!.get('users')!.columns.get('email')).toEqual({ type: 'varchar(255)', nullable: false });
    const sessionsDown = files.find((f) => f.migration.endsWith('create_sessions') && f.direction === 'down')!;
    expect([...sessionsDown.tables!.keys()].sort()).toEqual(['sessions', 'users']);
    expect(sessionsDown.indexTables!.get('idx_sessions_user_id')).toBe('sessions');
    expect(sessionsDown.upText).toContain('CREATE TABLE "sessions"');
    expect(sessionsUp.transactional).toBe(true);
    expect(sessionsUp.recorded).toEqual([true, true]);
  });
});
