/**
 * Whether every foreign key stays inside one user's data, generic over the
 * live database: the foreign keys are read from the catalog, every row's
 * owners are found by following each of its foreign keys up to `users`
 * (a users row owns itself; a row owns what its referenced rows own), and a
 * row that reaches two different users is a violation. Rows that reach no
 * user (global settings, rows no user owns) are nobody's and fine.
 */
import { openAdmin, type AdminConnection } from './databases.js';

export interface SameUserReport {
  /** `table.column -> parent` foreign keys followed. */
  foreignKeys: string[];
  /** Rows read, per table. */
  rows: Record<string, number>;
  /** Rows that reach at least one user, per table. */
  owned: Record<string, number>;
  /** Rows that reach more than one user, or a referenced row that is missing: at most 20, described. */
  violations: string[];
}

interface Fk {
  child: string;
  col: string;
  parent: string;
}

const PG_FKS = `SELECT c.conrelid::regclass::text AS child, a.attname AS col, c.confrelid::regclass::text AS parent
  FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
 WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.connamespace = 'public'::regnamespace ORDER BY 1, 2`;
const MYSQL_FKS = `SELECT TABLE_NAME AS child, COLUMN_NAME AS col, REFERENCED_TABLE_NAME AS parent FROM information_schema.KEY_COLUMN_USAGE
 WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY 1, 2`;

async function rowsOf(db: AdminConnection, q: (n: string) => string, table: string, cols: string[]): Promise<Map<string, (string | null)[]>> {
  const rows = await db.query(`SELECT ${['id', ...cols].map(q).join(', ')} FROM ${q(table)}`);
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return new Map(rows.map((r) => [text(r.id)!, cols.map((c) => text(r[c]))]));
}

export async function sameUserCheck(url: string): Promise<SameUserReport> {
  const mysql = /^(mysql|mariadb):/.test(url);
  const q = (n: string) => (mysql ? `\`${n}\`` : `"${n}"`);
  const db = await openAdmin(url);
  try {
    const fks = (await db.query<{ child: string; col: string; parent: string }>(mysql ? MYSQL_FKS : PG_FKS)).map((f) => ({ ...f }) as Fk);
    const tables = [...new Set(fks.flatMap((f) => [f.child, f.parent]))].sort();
    const data = new Map<string, { cols: Fk[]; rows: Map<string, (string | null)[]> }>();
    for (const t of tables) {
      const cols = fks.filter((f) => f.child === t);
      data.set(t, { cols, rows: await rowsOf(db, q, t, cols.map((c) => c.col)) });
    }
    const violations: string[] = [];
    const memo = new Map<string, Set<string>>();
    const owners = (table: string, id: string, path: string[]): Set<string> => {
      const key = `${table}\0${id}`;
      const known = memo.get(key);
      if (known) return known;
      if (table === 'users') return new Set([id]);
      if (path.includes(key)) return new Set(); // a cycle of references: what the rest of the path says
      const t = data.get(table)!;
      const row = t.rows.get(id);
      const found = new Set<string>();
      if (!row) {
        violations.push(`${table} ${id} is referenced but missing`);
        return found;
      }
      t.cols.forEach((fk, i) => {
        const ref = row[i];
        if (ref !== null) for (const u of owners(fk.parent, ref, [...path, key])) found.add(u);
      });
      memo.set(key, found);
      return found;
    };
    const rows: Record<string, number> = {};
    const owned: Record<string, number> = {};
    for (const t of tables) {
      rows[t] = data.get(t)!.rows.size;
      owned[t] = 0;
      for (const id of data.get(t)!.rows.keys()) {
        const users = owners(t, id, []);
        if (users.size) owned[t]++;
        if (users.size > 1) violations.push(`${t} ${id} reaches users ${[...users].sort().join(', ')}`);
      }
    }
    return { foreignKeys: fks.map((f) => `${f.child}.${f.col} -> ${f.parent}`), rows, owned, violations: violations.slice(0, 20) };
  } finally {
    await db.close();
  }
}
