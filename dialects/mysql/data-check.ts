/**
 * MySQL's and MariaDB's SQL for the live pre-flight's counts
 * (src/migrate/apply/data-check/): one query per probe, identifiers quoted, values
 * bound (`?`), the count as `n` (a window over the matching rows, so that the
 * same query brings up to 5 sample rows, `k0`, `k1`, ...). The counts run in
 * one read-only transaction WITH CONSISTENT SNAPSHOT; each query bounds its
 * wait for a metadata lock (an ALTER running elsewhere) by --lock-timeout,
 * spelt per server: MySQL 8 `SELECT /*+ SET_VAR(lock_wait_timeout = N) * /`,
 * MariaDB `SET STATEMENT lock_wait_timeout = N FOR SELECT`.
 */
import type { Condition, Probe, ProbeDialect, ProbeQuery, ProbeSql, SampleColumn } from '../../src/port/data-check.js';
import { SAMPLE_READ_CHARS, SAMPLES } from '../../src/port/data-check.js';
import type { MysqlFlavor } from './catalog-rows.js';
import { ident } from './quote.js';

const col = (c: string): string => `t.${ident(c)}`;

/** A whole number, with an optional sign, and blanks around: what converts to an integer column. */
export const INTEGER_TEXT = '^[[:space:]]*[-+]?[0-9]+[[:space:]]*$';
/** A decimal number (an exponent allowed): what converts to a DECIMAL column. */
export const DECIMAL_TEXT = '^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$';

function sample(s: SampleColumn): string {
  const c = col(s.column);
  switch (s.show) {
    case 'key':
      return `CAST(${c} AS CHAR)`;
    case 'value':
      return `LEFT(CAST(${c} AS CHAR), ${SAMPLE_READ_CHARS})`;
    case 'chars':
      return `CHAR_LENGTH(${c})`;
    case 'bytes':
      return `LENGTH(${c})`;
  }
}

const notNull = (columns: string[]): string => columns.map((c) => `${col(c)} IS NOT NULL`).join(' AND ');
const DECIMAL = 'DECIMAL(65,0)';

function where(c: Exclude<Condition, { kind: 'duplicates' }>, ns: string, params: unknown[]): string | null | { unsupported: string } {
  const bind = (v: unknown) => {
    params.push(v);
    return '?';
  };
  switch (c.kind) {
    case 'rows':
      return null;
    case 'nulls':
      return c.columns.map((x) => `${col(x)} IS NULL`).join(' OR ');
    case 'values':
      return `${col(c.column)} IS NOT NULL`;
    case 'orphans': {
      if (c.refTable === null) return notNull(c.columns);
      const on = c.columns.map((x, i) => `r.${ident(c.refColumns[i]!)} = ${col(x)}`).join(' AND ');
      return `${notNull(c.columns)} AND NOT EXISTS (SELECT 1 FROM ${ident(ns)}.${ident(c.refTable)} AS r WHERE ${on})`;
    }
    case 'too_long':
      return c.unit === 'bytes'
        ? `LENGTH(${col(c.column)}) > ${bind(c.max)}`
        : `CHAR_LENGTH(TRIM(TRAILING ' ' FROM ${col(c.column)})) > ${bind(c.max)}`;
    case 'out_of_range':
      return `ROUND(${col(c.column)}) NOT BETWEEN CAST(${bind(c.min)} AS ${DECIMAL}) AND CAST(${bind(c.max)} AS ${DECIMAL})`;
    case 'too_many_digits':
      if (c.digits > 64) return { unsupported: `a DECIMAL holds at most 65 digits` };
      return `ABS(ROUND(${col(c.column)}, ${bind(c.scale)})) >= CAST(CONCAT('1', REPEAT('0', ${bind(c.digits)})) AS ${DECIMAL})`;
    case 'rounded':
      return `${col(c.column)} <> ROUND(${col(c.column)}, ${bind(c.scale)})`;
    case 'not_in':
      if (!c.labels.length) return `${col(c.column)} IS NOT NULL`;
      return `CAST(${col(c.column)} AS CHAR) NOT IN (${c.labels.map(bind).join(', ')})`;
    case 'not_convertible': {
      const base = c.type.replace(/\(.*$/, '').replace(/\s+unsigned.*$/i, '').trim().toLowerCase();
      if (base === 'json') return `${col(c.column)} IS NOT NULL AND JSON_VALID(${col(c.column)}) = 0`;
      const pattern = ['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint'].includes(base) ? INTEGER_TEXT : ['decimal', 'numeric'].includes(base) ? DECIMAL_TEXT : null;
      if (!pattern) return { unsupported: `MySQL cannot test whether a value converts to ${c.type}; the statement itself will tell` };
      return `${col(c.column)} IS NOT NULL AND NOT (CAST(${col(c.column)} AS CHAR) REGEXP ${bind(pattern)})`;
    }
    case 'check':
      return `NOT (${c.expression})`;
  }
}

/** `SELECT ...` with its lock wait bounded, as the server spells it. */
function bounded(flavor: MysqlFlavor, seconds: number, select: string): string {
  return flavor === 'mariadb' ? `SET STATEMENT lock_wait_timeout = ${seconds} FOR ${select}` : select.replace(/^SELECT /, `SELECT /*+ SET_VAR(lock_wait_timeout = ${seconds}) */ `);
}

function query(probe: Probe, ns: string, flavor: MysqlFlavor, seconds: number): ProbeQuery | { unsupported: string } {
  const params: unknown[] = [];
  const from = `${ident(ns)}.${ident(probe.table)} AS t`;
  const c = probe.condition;
  const shown = probe.samples.map((s, i) => `${sample(s)} AS k${i}`);
  const done = (select: string): ProbeQuery => ({ sql: bounded(flavor, seconds, select), params });
  if (c.kind === 'duplicates') {
    const cols = c.columns.map(col).join(', ');
    const filter = [notNull(c.columns), ...(c.where ? [`(${c.where})`] : [])].join(' AND ');
    // SQL_BIG_RESULT: group by sorting, not in a temporary table (on MariaDB 1M distinct values took 35-46 s that way, 3 s sorted).
    return done(
      `SELECT SQL_BIG_RESULT COUNT(*) OVER () AS n, SUM(COUNT(*)) OVER () AS r, COUNT(*) AS g${shown.map((s) => `, ${s}`).join('')} ` +
        `FROM ${from} WHERE ${filter} GROUP BY ${cols} HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, ${cols} LIMIT ${SAMPLES}`,
    );
  }
  const w = where(c, ns, params);
  if (w !== null && typeof w === 'object') return w;
  const filter = w === null ? '' : ` WHERE ${w}`;
  if (!shown.length) return done(`SELECT COUNT(*) AS n FROM ${from}${filter}`);
  const order = probe.samples.filter((s) => s.show === 'key');
  const by = (order.length ? order : probe.samples).map((s) => col(s.column)).join(', ');
  return done(`SELECT COUNT(*) OVER () AS n, ${shown.join(', ')} FROM ${from}${filter} ORDER BY ${by} LIMIT ${SAMPLES}`);
}

export function mysqlProbes(flavor: MysqlFlavor, lockTimeoutMs: number): ProbeSql {
  const seconds = Math.max(1, Math.ceil(lockTimeoutMs / 1000));
  return {
    query: (probe, ns) => query(probe, ns, flavor, seconds),
    begin: ['START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY'],
    // MySQL and MariaDB run no migration in a transaction (DDL commits as it goes).
    within: [],
    end: 'ROLLBACK',
  };
}

export const mysqlProbeDialect: ProbeDialect = {
  serverSql: 'SELECT VERSION() AS v',
  forServer: (version, lockTimeoutMs) => mysqlProbes(/mariadb/i.test(version) ? 'mariadb' : 'mysql', lockTimeoutMs),
};
