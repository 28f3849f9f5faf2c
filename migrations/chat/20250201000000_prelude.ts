/** chat: shared objects of the variant (on PostgreSQL, the trigger function that emulates ON UPDATE CURRENT_TIMESTAMP; nothing on MySQL). */
import { stepMigration } from '../../src/migrate/context.js';

export const { up, down, plan, recover } = stepMigration('prelude');
