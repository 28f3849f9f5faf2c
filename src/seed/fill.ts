/**
 * Believable values for columns no generator knows (src/seed/layout.ts): by
 * logical type and length, and by what the column's name suggests (an
 * email, a URL, a status, a count...). Values of unique columns carry a
 * tag that no other row of the run, or of an earlier --append run, has.
 */
import type { LogicalType } from '../schema/definition.js';
import type { Adapt, LayoutColumn } from './layout-types.js';
import type { Pools } from '../fake/pools.js';
import type { Rng } from '../fake/random.js';

/** A column's value for one row; `tag` is unique to the row (for unique columns). */
export type Filler = (r: Rng, tag: string, tagNumber: number) => unknown;

/** A generator's value made to fit its column as it is now (see Adapt). */
export type Adapter = (v: unknown, r: Rng, tag: string, tagNumber: number) => unknown;

/** A text that no other row's has: the row's tag at the end, the text shortened to leave room for it. */
function uniqueText(base: string, tag: string, max: number): string {
  const suffix = `-${tag}`;
  return suffix.length >= max ? tag.slice(-max) : base.slice(0, max - suffix.length) + suffix;
}

const DAY = 86_400_000;

/** Small vocabularies for columns whose name says what they hold. */
const WORDS: [RegExp, readonly string[]][] = [
  [/status|state/, ['active', 'pending', 'archived', 'disabled']],
  [/(^|_)(type|kind|category)$/, ['standard', 'custom', 'system', 'imported']],
  [/role/, ['owner', 'admin', 'member', 'viewer']],
  [/plan|tier/, ['free', 'pro', 'team', 'enterprise']],
  [/lang|locale/, ['en', 'de', 'fr', 'ja', 'zh', 'es']],
  [/country/, ['US', 'DE', 'FR', 'JP', 'CN', 'GB', 'BR']],
  [/currency/, ['USD', 'EUR', 'JPY', 'CNY', 'GBP']],
  [/source|channel|provider/, ['web', 'api', 'cli', 'mobile', 'import']],
  [/visibility|privacy/, ['public', 'private', 'unlisted']],
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const HEXLIKE = /hash|digest|checksum|sha/;
const TOKENLIKE = /token|secret|api_?key|nonce/;

/** A text value for a column, by its name, before any length limit. */
function textByName(name: string, r: Rng, p: Pools, long: boolean): string {
  const n = name.toLowerCase();
  if (/e_?mail/.test(n)) return `${r.pick(p.firstNames).toLowerCase().replace(/[^a-z]/g, '')}.${r.pick(p.lastNames).toLowerCase().replace(/[^a-z]/g, '')}@${r.pick(p.domains)}`;
  if (/url|link|website|homepage|avatar|image|icon/.test(n)) return `https://${r.pick(p.domains)}/${r.pick(p.adjectives).toLowerCase()}/${r.token(8)}`;
  if (/phone|mobile|tel/.test(n)) return `+${r.pick(['1', '44', '49', '33', '81'])} ${r.int(200, 999)} ${r.int(100, 999)} ${r.int(1000, 9999)}`;
  if (/(^|_)ip(_|$)|ip_?addr/.test(n)) return `${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  if (HEXLIKE.test(n)) return r.hex(64);
  if (TOKENLIKE.test(n)) return r.token(32);
  if (/handle|slug|login|nick|user_?name/.test(n)) return `${r.pick(p.adjectives)}_${r.pick(p.lastNames)}`.toLowerCase().replace(/[^a-z0-9_]/g, '');
  if (/colou?r/.test(n)) return `#${r.hex(6)}`;
  if (/path|file|dir/.test(n)) return `/workspace/${r.pick(p.adjectives).toLowerCase()}/${r.token(6)}.${r.pick(['txt', 'json', 'csv', 'md'])}`;
  if (/time_?zone|tz$/.test(n)) return r.pick(p.timeZones);
  if (/city/.test(n)) return r.pick(p.cities);
  if (/company|org/.test(n)) return r.pick(p.companies);
  if (/(first|given)_?name/.test(n)) return r.pick(p.firstNames);
  if (/(last|family|sur)_?name/.test(n)) return r.pick(p.lastNames);
  for (const [re, words] of WORDS) if (re.test(n)) return r.pick(words);
  if (/desc|bio|note|comment|summary|content|text|body|message|about|detail|reason|prompt/.test(n) || long) {
    return r.chance(0.5) ? r.pick(p.phrases) : r.pick(p.catchPhrases);
  }
  if (/name|title|label|caption|subject|heading/.test(n)) return cap(`${r.pick(p.adjectives)} ${r.pick(p.nouns)}`);
  return r.pick(p.nouns);
}

/** A whole number for a column, by its name and type. */
function numberByName(name: string, kind: string, r: Rng): number {
  const n = name.toLowerCase();
  if (/^(is|has|can)_|enabled|active|flag|deleted|verified|public|visible/.test(n)) return r.chance(0.8) ? 1 : 0;
  if (/status|state|level|priority|tier/.test(n)) return r.int(0, 3);
  if (/token|count|num|total|qty|quantity|retries|attempts|views|likes/.test(n)) return r.int(0, kind === 'tinyint' ? 100 : 5000);
  if (/bytes|size/.test(n)) return r.int(200, kind === 'bigint' ? 50_000_000 : kind === 'int' ? 5_000_000 : 30_000);
  if (/ms|millis|duration|latency|elapsed/.test(n)) return r.int(20, kind === 'smallint' || kind === 'tinyint' ? 120 : 60_000);
  if (/age/.test(n)) return r.int(18, 80);
  if (/year/.test(n)) return r.int(2015, 2025);
  if (/port/.test(n)) return r.int(1024, 65535);
  const max = { tinyint: 100, smallint: 1000, int: 100_000, bigint: 10_000_000 }[kind] ?? 1000;
  return r.int(0, max);
}

/** The largest value a whole-number type holds (for unique numbers). */
const INT_MAX: Record<string, number> = { tinyint: 127, smallint: 32_767, int: 2_147_483_647, bigint: Number.MAX_SAFE_INTEGER };

/** JSON for a column, by its name. */
function jsonByName(name: string, r: Rng, p: Pools): Record<string, unknown> {
  const n = name.toLowerCase();
  if (/config|setting|option|pref/.test(n)) return { theme: r.pick(['light', 'dark', 'system']), notifications: r.chance(0.7), language: r.pick(['en', 'de', 'fr', 'ja']) };
  if (/meta/.test(n)) return { source: r.pick(['web', 'api', 'cli']), version: r.int(1, 5), tags: r.sample(p.adjectives, r.int(0, 3)) };
  return { note: r.pick(p.nouns), value: r.int(0, 1000), ok: r.chance(0.9) };
}

/** How to fill a column no generator knows (its `ref`, if any, is filled by the caller). */
export function fillerFor(col: LayoutColumn, pools: Pools, refTime: number): Filler {
  const type: LogicalType = col.type;
  const nullable = col.nullable;
  const maybeNull = (f: Filler): Filler => (nullable ? (r, tag, t) => (r.chance(0.15) ? null : f(r, tag, t)) : f);
  switch (type.kind) {
    case 'varchar':
    case 'text':
    case 'longtext': {
      const max = type.kind === 'varchar' ? type.length : Infinity;
      return maybeNull((r, tag, tagNumber) => {
        const base = textByName(col.name, r, pools, type.kind !== 'varchar' || max > 200);
        if (!col.unique) return base.slice(0, max);
        // Hashes and tokens stay hex / letters and digits: the row's number (hex) leads.
        if (HEXLIKE.test(col.name.toLowerCase()) || TOKENLIKE.test(col.name.toLowerCase())) {
          const lead = tagNumber.toString(16).padStart(10, '0');
          return (lead + base).slice(0, max);
        }
        // Else the tag goes at the end, the base shortened to leave room for it.
        return uniqueText(base, tag, max);
      });
    }
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint': {
      const kind = type.kind;
      return maybeNull((r, _tag, t) => (col.unique ? t % INT_MAX[kind]! : numberByName(col.name, kind, r)));
    }
    case 'timestamp':
      return maybeNull((r) => refTime - 730 * DAY + Math.floor((r.next() * 729 * DAY) / 1000) * 1000);
    case 'json':
    case 'json_text':
      return maybeNull((r, tag) => (col.unique ? { ...jsonByName(col.name, r, pools), id: tag } : jsonByName(col.name, r, pools)));
    case 'text_array':
      return maybeNull((r) => r.sample(pools.adjectives, r.int(1, 3)));
    case 'enum':
      return maybeNull((r) => r.pick(type.labels));
    case 'id':
    case 'ref':
      throw new Error(`${col.name}: ids and references are not filled by value`);
  }
}

/** How a generator's values for `col` are adapted to what the column became since the generator was written. */
export function adapterFor(col: LayoutColumn, a: Adapt, pools: Pools, refTime: number): Adapter {
  const fill = a.fillNulls ? fillerFor({ ...col, nullable: false }, pools, refTime) : null;
  const max = a.maxLength ?? (col.type.kind === 'varchar' ? col.type.length : Infinity);
  const top = INT_MAX[col.type.kind];
  return (v, r, tag, tagNumber) => {
    if (v === null || v === undefined) return fill ? fill(r, tag, tagNumber) : v;
    let out = v;
    if (a.labels && !a.labels.includes(out as string)) out = r.pick(a.labels);
    if (a.range && typeof out === 'number') out = Math.min(a.range[1], Math.max(a.range[0], out));
    if (a.unique && typeof out === 'string') return uniqueText(out, tag, max);
    if (a.unique && typeof out === 'number' && top) return tagNumber % top;
    if (typeof out === 'string' && out.length > max) out = out.slice(0, max);
    return out;
  };
}
