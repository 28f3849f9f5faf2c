/**
 * SHOW GRANTS, read: whether an account holds a privilege on a database or
 * one of its tables. Pure (tested from documented output). Used only for what
 * no probe can ask without doing it (CREATE, DROP, and rights on tables not
 * created yet); table privileges on existing tables are probed instead.
 *
 * Lines understood (MariaDB 10.x/11.x, MySQL 5.7/8):
 *   GRANT SELECT, INSERT ON `app`.* TO `u`@`%`            (database; `%`/`_` wildcards, `\` escapes)
 *   GRANT ALL PRIVILEGES ON *.* TO ... WITH GRANT OPTION  (global)
 *   GRANT UPDATE, SELECT (`a`, `b`) ON `app`.`t` TO ...   (table; column lists grant no table privilege)
 *   GRANT ... TO PUBLIC                                   (MariaDB 10.11: applies to everyone)
 *   REVOKE INSERT ON `app`.* FROM `u`@`%`                 (MySQL 8 partial revoke of a global privilege)
 *   GRANT `role` TO `u`@`%`                               (a role: MariaDB lists the active role's grants
 *                                                          too, MySQL 8 does not, so there it makes "no" unknown)
 * Anything else (PROXY, routines, SET DEFAULT ROLE) is skipped; a GRANT or
 * REVOKE that cannot be read turns every "no" into "unknown": a pre-flight
 * never refuses on a guess.
 */

export type Answer = 'yes' | 'no' | 'unknown';

export interface Grant {
  revoke: boolean;
  /** Upper case; 'ALL' for ALL [PRIVILEGES]. Column-level privileges are left out. */
  privileges: string[];
  /** A database pattern (LIKE syntax) or '*'. */
  db: string;
  /** A table name or '*'. */
  table: string;
}

export interface Grants {
  grants: Grant[];
  /** GRANT/REVOKE lines that could not be read. */
  unreadable: number;
  /** Roles granted to the account (their privileges are not in the lines on MySQL 8). */
  roles: number;
}

/** Split on `sep` outside backticks, quotes and parentheses. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) {
        if (text[i + 1] === quote) i++;
        else quote = null;
      } else if (c === '\\' && quote === "'") i++;
      continue;
    }
    if (c === '`' || c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      out.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** `name`, or a bare word, or *; null when it is neither. */
function identifier(text: string): string | null {
  const t = text.trim();
  if (t === '*') return '*';
  const quoted = /^`((?:[^`]|``)*)`$/.exec(t);
  if (quoted) return quoted[1]!.replace(/``/g, '`');
  return /^[A-Za-z0-9_$]+$/.test(t) ? t : null;
}

/** `db`.`table`, `db`.*, *.*, * ; null for routines and anything unreadable. */
function object(text: string): { db: string; table: string } | null {
  const parts = splitTop(text.trim(), '.');
  if (parts.length === 1 && parts[0]!.trim() === '*') return { db: '*', table: '*' };
  if (parts.length !== 2) return null;
  const db = identifier(parts[0]!);
  const table = identifier(parts[1]!);
  return db !== null && table !== null ? { db, table } : null;
}

function privilegeList(text: string): string[] {
  return splitTop(text, ',')
    .map((p) => p.trim())
    .filter((p) => !p.includes('(')) // column-level: no table privilege
    .map((p) => p.toUpperCase().replace(/\s+/g, ' '))
    .map((p) => (p === 'ALL PRIVILEGES' ? 'ALL' : p));
}

export function parseGrants(lines: string[]): Grants {
  const result: Grants = { grants: [], unreadable: 0, roles: 0 };
  for (const raw of lines) {
    const line = raw.trim().replace(/\s+/g, ' ');
    const verb = /^(GRANT|REVOKE) /i.exec(line)?.[1]?.toUpperCase();
    if (!verb) continue; // SET DEFAULT ROLE ...
    const revoke = verb === 'REVOKE';
    const [privilegePart, ...rest] = splitTop(line.slice(verb.length + 1), ' ON ');
    if (!rest.length) {
      if (!revoke && splitTop(privilegePart!, ' TO ').length > 1) result.roles++; // GRANT `role` TO `user`@`host`
      else result.unreadable++;
      continue;
    }
    const objectPart = splitTop(rest.join(' ON '), revoke ? ' FROM ' : ' TO ');
    const privileges = privilegeList(privilegePart!);
    if (privileges.includes('PROXY') || /^(PROCEDURE|FUNCTION|PACKAGE) /i.test(objectPart[0]!)) continue;
    const on = objectPart.length > 1 ? object(objectPart[0]!) : null;
    if (!on) {
      result.unreadable++;
      continue;
    }
    result.grants.push({ revoke, privileges, ...on });
  }
  return result;
}

/** MySQL database-name patterns: LIKE wildcards, backslash escapes. */
export function matchesPattern(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's').test(name);
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const has = (g: Grant, privilege: string) => g.privileges.includes(privilege) || g.privileges.includes('ALL');

/**
 * Whether the grants give `privilege` on database `db` (table '*': on the
 * database as a whole) or on table `table` of it.
 */
export function holds(grants: Grants, privilege: string, db: string, table = '*', options: { rolesListed?: boolean } = {}): Answer {
  const p = privilege.toUpperCase();
  const granted = grants.grants.filter((g) => !g.revoke && has(g, p));
  const revokedHere = grants.grants.some((g) => g.revoke && has(g, p) && g.db !== '*' && matchesPattern(g.db, db) && (g.table === '*' || g.table === table));
  const global = granted.some((g) => g.db === '*') && !revokedHere;
  const onDb = granted.some((g) => g.db !== '*' && g.table === '*' && matchesPattern(g.db, db));
  const onTable = table !== '*' && granted.some((g) => g.table === table && g.db === db);
  if (global || onDb || onTable) return 'yes';
  // A table-level grant of it somewhere in the database may be what the caller needs.
  const someTable = table === '*' && granted.some((g) => g.table !== '*' && g.db === db);
  if (someTable || grants.unreadable > 0 || (grants.roles > 0 && !options.rolesListed)) return 'unknown';
  return 'no';
}
