/** MySQL's generated rows (src/port/rows.ts): BIGINT AUTO_INCREMENT keys, DATETIME in UTC, JSON arrays. */
import type { RowFlavor } from '../../src/port/rows.js';

export const mysqlRowFlavor: RowFlavor = { keys: 'integer', timeZoneSuffix: '', textArrays: 'json' };
