/**
 * What a column's type change asks of each live value, as conditions to
 * count (types.ts): a value too long for a bounded string, out of the range
 * of a smaller integer, with too many digits for a decimal, no label of an
 * enum, no valid input of the new type. Pure. Whether a change needs
 * counting at all is the planner's verdict (plan/type-change.ts): a change
 * it calls safe asks nothing.
 */
import { SQL_DIALECTS as dialects } from '../../../engines/sql-dialects.js';
import { typeChangeRisk } from '../../../plan/type-change.js';
import type { Dialect } from '../../../schema/model.js';
import { parseStringList as parseMysqlStringList } from '../../../schema/normal-form.js';
import type { Condition, Effect } from '../../../port/data-check.js';

type Family =
  | { family: 'string'; max: number; unit: 'chars' | 'bytes' }
  | { family: 'integer'; min: bigint; max: bigint }
  | { family: 'decimal'; digits: number; scale: number }
  | { family: 'float' }
  | { family: 'enum'; labels: string[] }
  | { family: 'json' }
  | { family: 'time' }
  | { family: 'other' };

const INT_BYTES: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, integer: 4, bigint: 8 };

/** The family of a type in the dialect's canonical spelling; `enumLabels` names a PostgreSQL enum type's labels. */
export function familyOf(dialect: Dialect, type: string, enumLabels: (name: string) => string[] | null): Family {
  const t = type.trim();
  const list = /^enum\((.*)\)$/is.exec(t);
  if (list) return { family: 'enum', labels: parseMysqlStringList(list[1]!) ?? [] };
  const rules = dialects[dialect].dataRules;
  const labels = rules.enumTypes ? enumLabels(t) : null;
  if (labels) return { family: 'enum', labels };
  if (t.endsWith('[]')) return { family: 'other' };
  const m = /^([a-z][a-z ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?(\s+unsigned)?(?:\s+zerofill)?$/i.exec(t);
  if (!m) return { family: 'other' };
  const base = m[1]!.toLowerCase();
  const [a, b] = [m[2] === undefined ? null : Number(m[2]), m[3] === undefined ? null : Number(m[3])];
  if (base === 'varchar' || base === 'char' || base === 'character' || base === 'character varying') {
    return { family: 'string', max: a ?? (base === 'varchar' || base === 'character varying' ? Infinity : 1), unit: 'chars' };
  }
  if (base === 'text' && rules.textUnbounded) return { family: 'string', max: Infinity, unit: 'chars' };
  const bytes = rules.textBytes?.[base];
  if (bytes !== undefined) return { family: 'string', max: bytes, unit: 'bytes' };
  if (base in INT_BYTES) {
    const bits = BigInt(INT_BYTES[base]! * 8);
    return m[4] ? { family: 'integer', min: 0n, max: 2n ** bits - 1n } : { family: 'integer', min: -(2n ** (bits - 1n)), max: 2n ** (bits - 1n) - 1n };
  }
  if (base === 'numeric' || base === 'decimal') {
    // MySQL's DECIMAL is DECIMAL(10,0); PostgreSQL's bare numeric has no limit.
    const precision = a ?? rules.decimalDefaultPrecision;
    if (precision === null) return { family: 'other' };
    return { family: 'decimal', digits: precision - (b ?? 0), scale: b ?? 0 };
  }
  if (['real', 'double precision', 'double', 'float'].includes(base)) return { family: 'float' };
  if (base === 'json' || base === 'jsonb') return { family: 'json' };
  if (/^(timestamp|timestamptz|datetime|date|time|timetz|year)$/.test(base)) return { family: 'time' };
  return { family: 'other' };
}

/** A condition to count for a type change, or why it is not counted. */
export type TypeCheck = { condition: Condition; effect: Effect; says: string } | { unchecked: string };

/**
 * What changing `column` (its live name; `shown` as people read it, `table.column`)
 * from type `from` to type `to` asks of its values. Empty when the change is safe.
 */
export function typeChecks(
  dialect: Dialect,
  column: string,
  shown: string,
  from: string,
  to: string,
  enumLabels: (name: string) => string[] | null,
): TypeCheck[] {
  if (!typeChangeRisk(dialects[dialect].textTypes, from, to)) return [];
  const f = familyOf(dialect, from, enumLabels);
  const t = familyOf(dialect, to, enumLabels);
  const fails = (condition: Condition, says: string): TypeCheck => ({ condition, effect: 'fails', says });
  const roundable = f.family === 'float' || (f.family === 'decimal' && t.family !== 'string');
  switch (t.family) {
    case 'enum':
      return [fails({ kind: 'not_in', column, labels: t.labels }, `{rows} with a value of ${shown} that is no label of ${to}`)];
    case 'string':
      if (t.max === Infinity) return [];
      return [
        fails(
          { kind: 'too_long', column, max: t.max, unit: t.unit },
          `{rows} with a value of ${shown} longer than ${t.max} ${t.unit === 'chars' ? 'characters' : 'bytes'} (${to})`,
        ),
      ];
    case 'integer': {
      if (f.family !== 'integer' && f.family !== 'decimal' && f.family !== 'float') break;
      const out: TypeCheck[] = [fails({ kind: 'out_of_range', column, min: String(t.min), max: String(t.max) }, `{rows} with a value of ${shown} out of the range of ${to}`)];
      if (roundable) out.push({ condition: { kind: 'rounded', column, scale: 0 }, effect: 'loses', says: `{rows} with a value of ${shown} with a fraction, rounded away by ${to}` });
      return out;
    }
    case 'decimal': {
      if (f.family !== 'integer' && f.family !== 'decimal' && f.family !== 'float') break;
      const out: TypeCheck[] = [
        fails({ kind: 'too_many_digits', column, digits: t.digits, scale: t.scale }, `{rows} with a value of ${shown} with more than ${t.digits} digits before the point (${to})`),
      ];
      if (roundable && (f.family === 'float' || (f.family === 'decimal' && f.scale > t.scale))) {
        out.push({ condition: { kind: 'rounded', column, scale: t.scale }, effect: 'loses', says: `{rows} with a value of ${shown} with more than ${t.scale} decimals, rounded by ${to}` });
      }
      return out;
    }
    case 'float':
      return [{ unchecked: `the precision ${to} loses is not counted` }];
    case 'time':
      if (f.family === 'time') return [{ unchecked: `what ${to} drops of each time value (zone, fractions, time of day) is not counted` }];
      break;
    case 'json':
      if (f.family === 'json') return [];
      break;
    default:
      break;
  }
  return [fails({ kind: 'not_convertible', column, type: to }, `{rows} with a value of ${shown} that does not convert to ${to}`)];
}
