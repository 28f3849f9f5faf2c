/**
 * The commands, each loaded only when it runs. The CLI's entry bundle
 * (dist/cli/dbkit.cjs: commander and the program, CommonJS, so `--help`
 * never starts Node's ES module loader) reaches them through this one
 * module, built as an ES module bundle beside it (dist/cli/commands-index.js).
 */
export const commands = {
  migrate: () => import('../commands/migrate.js'),
  rollback: () => import('../commands/rollback.js'),
  status: () => import('../commands/status.js'),
  make: () => import('../commands/make.js'),
  hash: () => import('../commands/hash.js'),
  check: () => import('../commands/check.js'),
  lint: () => import('../commands/lint.js'),
  sql: () => import('../commands/sql.js'),
  seed: () => import('../commands/seed.js'),
  init: () => import('../commands/init.js'),
  wait: () => import('../commands/wait.js'),
  unlock: () => import('../commands/unlock.js'),
  diff: () => import('../commands/diff.js'),
  checkIndexes: () => import('../commands/check-indexes.js'),
  docs: () => import('../commands/docs.js'),
};
