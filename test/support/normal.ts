/** The normal form of a schema with its own dialect's normalizer (tests compare normal forms, as dbkit diff does). */
import { SQL_DIALECTS } from '../../src/engines/index.js';
import type { DbSchema } from '../../src/schema/model.js';
import { normalize } from '../../src/schema/normalize.js';

export const normal = (s: DbSchema): DbSchema => normalize(s, SQL_DIALECTS[s.dialect].normalizer);
