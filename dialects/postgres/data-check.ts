/**
 * PostgreSQL's (and PGlite's) SQL for the live pre-flight's counts
 * (src/migrate/apply/data-check/): one query per probe, identifiers quoted, values
 * bound ($1, $2, ...), the count as `n` (a window over the matching rows, so
 * that the same query brings up to 5 sample rows, `k0`, `k1`, ...). The
 * counts run in one read-only REPEATABLE READ transaction (one snapshot)
 * with lock_timeout set: a count never writes and never queues behind a
 * lock for longer than --lock-timeout.
 */
import type { Condition, Probe, ProbeDialect, ProbeQuery, ProbeSql, SampleColumn } from '../../src/port/data-check.js';
import { SAMPLE_READ_CHARS, SAMPLES } from '../../src/port/data-check.js';
import { ident } from './quote.js';

/** pg_input_is_valid (is a text a valid input of a type) came with PostgreSQL 16. */
const INPUT_IS_VALID = 160000;

const col = (c: string): string => `t.${ident(c)}`;

function sample(s: SampleColumn): string {
  const c = col(s.column);
  switch (s.show) {
    case 'key':
      return `${c}::text`;
    case 'value':
      return `left(${c}::text, ${SAMPLE_READ_CHARS})`;
    case 'chars':
      return `char_length(${c}::text)`;
    case 'bytes':
      return `octet_length(${c}::text)`;
  }
}

/** Placeholders numbered as values are bound. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

const notNull = (columns: string[]): string => columns.map((c) => `${col(c)} IS NOT NULL`).join(' AND ');

/** The WHERE condition of a row probe, or why it cannot be counted here. */
function where(c: Exclude<Condition, { kind: 'duplicates' }>, ns: string, p: Params, version: number): string | null | { unsupported: string } {
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
      // Assigning a longer string fails unless what is cut is spaces.
      return `char_length(rtrim(${col(c.column)}::text, ' ')) > ${p.add(c.max)}`;
    case 'out_of_range':
      return `round(${col(c.column)}::numeric) NOT BETWEEN ${p.add(c.min)}::numeric AND ${p.add(c.max)}::numeric`;
    case 'too_many_digits':
      return `abs(round(${col(c.column)}::numeric, ${p.add(c.scale)}::int)) >= power(10::numeric, ${p.add(c.digits)}::int)`;
    case 'rounded':
      return `${col(c.column)}::numeric <> round(${col(c.column)}::numeric, ${p.add(c.scale)}::int)`;
    case 'not_in':
      if (!c.labels.length) return `${col(c.column)} IS NOT NULL`;
      return `${col(c.column)}::text NOT IN (${c.labels.map((l) => p.add(l)).join(', ')})`;
    case 'not_convertible':
      if (version < INPUT_IS_VALID) return { unsupported: `PostgreSQL before 16 cannot test whether a value converts to ${c.type} (no pg_input_is_valid)` };
      return `${col(c.column)} IS NOT NULL AND NOT pg_input_is_valid(${col(c.column)}::text, ${p.add(c.type)})`;
    case 'check':
      return `NOT (${c.expression})`;
  }
}

function query(probe: Probe, ns: string, version: number): ProbeQuery | { unsupported: string } {
  const p = new Params();
  const from = `${ident(ns)}.${ident(probe.table)} AS t`;
  const c = probe.condition;
  const shown = probe.samples.map((s, i) => `${sample(s)} AS k${i}`);
  if (c.kind === 'duplicates') {
    const cols = c.columns.map(col).join(', ');
    const filter = [notNull(c.columns), ...(c.where ? [`(${c.where})`] : [])].join(' AND ');
    return {
      sql:
        `SELECT count(*) OVER () AS n, sum(count(*)) OVER () AS r, count(*) AS g${shown.map((s) => `, ${s}`).join('')} ` +
        `FROM ${from} WHERE ${filter} GROUP BY ${cols} HAVING count(*) > 1 ORDER BY count(*) DESC, ${cols} LIMIT ${SAMPLES}`,
      params: p.values,
    };
  }
  const w = where(c, ns, p, version);
  if (w !== null && typeof w === 'object') return w;
  const filter = w === null ? '' : ` WHERE ${w}`;
  if (!shown.length) return { sql: `SELECT count(*) AS n FROM ${from}${filter}`, params: p.values };
  const order = probe.samples.filter((s) => s.show === 'key');
  const by = (order.length ? order : probe.samples).map((s) => col(s.column)).join(', ');
  return { sql: `SELECT count(*) OVER () AS n, ${shown.join(', ')} FROM ${from}${filter} ORDER BY ${by} LIMIT ${SAMPLES}`, params: p.values };
}

export function postgresProbes(version: number, lockTimeoutMs: number): ProbeSql {
  const bound = `SET LOCAL lock_timeout = '${Math.max(1, Math.round(lockTimeoutMs))}ms'`;
  return {
    query: (probe, ns) => query(probe, ns, version),
    begin: ['BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY', bound],
    within: [bound],
    end: 'ROLLBACK',
  };
}

export const postgresProbeDialect: ProbeDialect = {
  serverSql: "SELECT current_setting('server_version_num') AS v",
  forServer: (version, lockTimeoutMs) => postgresProbes(Number(version), lockTimeoutMs),
};
