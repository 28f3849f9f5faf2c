/** chat: the `conversations` table with its indexes (and, per variant, enum types, comments and triggers). */
import { stepMigration } from '../../src/migrate/context.js';

export const { up, down, plan, recover } = stepMigration('table:conversations');
