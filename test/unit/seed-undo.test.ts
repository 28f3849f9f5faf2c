/**
 * The take-back's SQL on PostgreSQL (issue 20): a table's rows of a batch
 * of the run's users, joined up the table's path to users; no path, no
 * statement. (MySQL/MariaDB take back through InnoDB's indexed cascades.)
 */
import { describe, expect, it } from 'vitest';
import { deleteByPathSql as pgDelete } from '../../dialects/postgres/seed-undo.js';

const hop = (column: string, parent: string) => ({ column, parent, parentColumn: 'id' });

describe('deleting a table\'s rows of some users through its path up to users', () => {
  it('PostgreSQL: DELETE ... USING the parents on the path, the last hop compared with the users\' ids', () => {
    expect(pgDelete('public', 'gallery', [hop('user_id', 'users')], 2)).toBe('DELETE FROM "public"."gallery" AS t0 WHERE t0."user_id" IN (?, ?)');
    expect(pgDelete('app', 'messages', [hop('run_id', 'runs'), hop('user_id', 'users')], 3)).toBe(
      'DELETE FROM "app"."messages" AS t0 USING "app"."runs" AS t1 WHERE t0."run_id" = t1."id" AND t1."user_id" IN (?, ?, ?)',
    );
    expect(pgDelete('public', 'labels', [hop('run_id', 'runs'), hop('session_id', 'sessions'), hop('user_id', 'users')], 1)).toBe(
      'DELETE FROM "public"."labels" AS t0 USING "public"."runs" AS t1, "public"."sessions" AS t2 WHERE t0."run_id" = t1."id" AND t1."session_id" = t2."id" AND t2."user_id" IN (?)',
    );
    expect(() => pgDelete('public', 'users', [], 1)).toThrow(/no path to users/);
  });
});
