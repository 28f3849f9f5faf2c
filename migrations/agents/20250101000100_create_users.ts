/** agents: the `users` table with its indexes (and, per variant, comments and triggers). */
import { stepMigration } from '../../src/migrate/context.js';

export const { up, down, plan, recover } = stepMigration('table:users');
