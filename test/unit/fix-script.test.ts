/** The fix script's text (src/plan/fix-script.ts): transaction, commented statements, view notes. */
import { describe, expect, it } from 'vitest';
import { fixScript } from '../../src/plan/fix-script.js';
import type { DialectPlan } from '../../src/plan/types.js';

const plan = (dialect: 'postgres' | 'mysql', statements: DialectPlan['statements']): DialectPlan => ({
  dialect,
  operations: [],
  statements,
  transactional: dialect === 'postgres',
  warnings: [],
  blocking: [],
});

describe('fix scripts', () => {
  it('PostgreSQL: enum labels first, the rest in one transaction, refused statements commented whole', () => {
    const p = plan('postgres', [
      { sql: `ALTER TYPE "r" ADD VALUE IF NOT EXISTS 'x'`, operation: 0, operations: [0], commitFirst: true },
      { sql: 'CREATE TABLE "t" (\n    "id" integer\n)', operation: 1, operations: [1], disabled: 'refused: because' },
      { sql: 'ALTER TABLE "u" ALTER COLUMN "a" TYPE text', operation: 2, operations: [2] },
    ]);
    expect(fixScript(p, { target: 'SET search_path TO "public"', views: [{ view: 'v', table: 'u', column: 'a', statement: 2, message: 'View v uses u.a: it fails.' }] })).toEqual([
      'SET search_path TO "public";',
      `ALTER TYPE "r" ADD VALUE IF NOT EXISTS 'x';`,
      'BEGIN;',
      '-- refused: because\n-- CREATE TABLE "t" (\n--     "id" integer\n-- );',
      '-- View v uses u.a: it fails.\nALTER TABLE "u" ALTER COLUMN "a" TYPE text;',
      'COMMIT;',
    ]);
  });

  it('MySQL: no transaction (DDL commits by itself)', () => {
    const p = plan('mysql', [{ sql: 'ALTER TABLE `t` DROP COLUMN `c`, ALGORITHM=INSTANT', operation: 0, operations: [0], disabled: 'refused: x' }]);
    expect(fixScript(p, { target: 'USE `app`' })).toEqual(['USE `app`;', '-- refused: x\n-- ALTER TABLE `t` DROP COLUMN `c`, ALGORITHM=INSTANT;']);
  });
});
