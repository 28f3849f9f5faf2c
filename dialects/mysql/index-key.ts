/**
 * What an InnoDB index key may hold (the MySQL variant's `indexKey` rules,
 * checked by src/schema/validate.ts before make plans): a TEXT, BLOB or
 * JSON column is a key part only with a prefix length, which dbkit's model
 * has none of (MySQL 8: ER_BLOB_KEY_WITHOUT_LENGTH, or ER_JSON_USED_AS_KEY;
 * MariaDB cuts a lone one to a prefix or hashes a unique one, which is not
 * the index the definition says), and a key is at most 3072 bytes with the
 * DYNAMIC row format, the default of MySQL 5.7+ and MariaDB 10.2+
 * (ER_TOO_LONG_KEY). Each part counts its longest value: a varchar(n) n
 * characters of its character set's widest (4 bytes in utf8mb4); NULL flags
 * and length bytes do not count (MariaDB 10.11 takes bigint + varchar(766)
 * in utf8mb4, 3072 bytes, and refuses varchar(767), 3076).
 */
import type { IndexKeyRules } from '../../src/schema/variant.js';

/** InnoDB's longest index key, in bytes (innodb_page_size 16k, DYNAMIC or COMPRESSED rows). */
export const MAX_KEY_BYTES = 3072;

/** Bytes per character of the character sets a variant can have (the widest character). */
const CHARSET_BYTES: Record<string, number> = { utf8mb4: 4, utf8mb3: 3, utf8: 3, latin1: 1, ascii: 1, binary: 1 };

const FIXED: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, bigint: 8, float: 4, double: 8, date: 3, time: 3, year: 1, timestamp: 4, datetime: 5 };
/** Types that are a key part only with a prefix length. */
const NEEDS_PREFIX = /^(tiny|medium|long)?(text|blob)$|^json$/;

/** The labels of `enum('a','b')` as the variant spells it (see quote.ts literal). */
const enumLabels = (type: string): number => (type.match(/'(?:[^'\\]|''|\\.)*'/g) ?? []).length;

export const mysqlIndexKey: IndexKeyRules = {
  maxBytes: MAX_KEY_BYTES,
  columnBytes(type, charset) {
    const t = type.toLowerCase().trim();
    if (NEEDS_PREFIX.test(t)) return null;
    const perChar = CHARSET_BYTES[charset.toLowerCase()] ?? 4;
    const chars = /^(?:var)?char\((\d+)\)$/.exec(t);
    if (chars) return Number(chars[1]) * perChar;
    const raw = /^(?:var)?binary\((\d+)\)$/.exec(t);
    if (raw) return Number(raw[1]);
    if (t.startsWith('enum(')) return enumLabels(t) > 255 ? 2 : 1;
    const base = /^([a-z]+)/.exec(t)?.[1] ?? '';
    return FIXED[base] ?? 0;
  },
  limitNote: "InnoDB's limit; utf8mb4 takes 4 bytes per character of a varchar",
};
