/** Every lint rule, in the order their findings are listed. */
import { clients } from './clients.js';
import { postgresConstraints } from './constraints.js';
import { indexLocks } from './index-locks.js';
import { mysqlOnline } from './mysql-online.js';
import { requiredColumnMysql, requiredColumnPostgres, setNotNull } from './not-null.js';
import { rerun } from './rerun.js';
import { postgresRewrites } from './rewrites.js';
import type { Rule } from './rule.js';
import { timeouts } from './timeouts.js';
import { transactions } from './transactions.js';
import { unreadable } from './unreadable.js';

export const RULES: readonly Rule[] = [
  unreadable,
  indexLocks,
  mysqlOnline,
  postgresRewrites,
  postgresConstraints,
  setNotNull,
  requiredColumnPostgres,
  requiredColumnMysql,
  transactions,
  rerun,
  clients,
  timeouts,
];
