/** PostgreSQL's generated rows (src/port/rows.ts): UUID keys, timestamptz, text[] columns. */
import type { RowFlavor } from '../../src/port/rows.js';

export const postgresRowFlavor: RowFlavor = { keys: 'uuid', timeZoneSuffix: '+00', textArrays: 'array-literal' };
