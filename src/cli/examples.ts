/**
 * One or more examples per command, shown by `dbkit help <command>` (and
 * `dbkit <command> --help`), each `dbkit` written as the user types it
 * (`./dbkit` in a checkout: src/shared/invocation.ts).
 */
export const EXAMPLES: Record<string, string[]> = {
  init: ['dbkit init                                   # asks on a terminal', 'DBKIT_PASSWORD=… dbkit init --engine mysql --host db --user app --database chat --schema chat'],
  migrate: ['dbkit migrate --url "$DATABASE_URL" --json', 'dbkit migrate --url "$PGBOUNCER_URL" --direct-url "$POSTGRES_URL"   # past a pooler', 'dbkit migrate --to create_messages --dry-run > plan.sql', 'dbkit migrate --accept-changed create_runs', 'dbkit migrate --allow-data-loss   # after reading which rows the data pre-flight says a drop loses', 'dbkit migrate --online pt-osc --statement-timeout 600   # MySQL table copies through pt-online-schema-change', 'dbkit migrate --targets fleet.yaml --concurrency 8 --canary tag:canary --on-error stop'],
  rollback: ['dbkit rollback --steps 2 --dry-run', 'dbkit rollback --all --yes', 'dbkit rollback --steps 1 --force --yes         # a down that cannot bring back dropped data'],
  status: ['dbkit status --check --quiet || echo "database is behind"', 'dbkit status --targets fleet.yaml --json'],
  make: [
    'dbkit make add_user_locale --schema agents',
    'dbkit make rename_title --rename sessions.title=name --dry-run',
    'dbkit make drop_legacy_flag --allow-data-loss',
    'dbkit make widen_counter --allow-blocking   # int -> bigint: copies/rewrites the table (docs/online-changes.md)',
    'dbkit make --empty backfill_locale',
  ],
  hash: ['dbkit hash                                   # after resolving a merge of two branches that added migrations'],
  check: ['dbkit check                                  # in the schema repository\'s CI: no server needed', 'dbkit check --url postgres://…/scratch'],
  lint: ['dbkit lint                                   # every migration, both dialects, up and down', 'dbkit lint --schema chat --dialect mysql --json'],
  sql: ['dbkit sql --dialect mysql --schema chat > chat.sql'],
  seed: ['dbkit seed                                   # 100 users in the embedded database', 'dbkit seed --users 400 --seed 7 --truncate --yes --json'],
  diff: ['dbkit diff --url "$DATABASE_URL"', 'dbkit diff --sql > fix.sql                   # review, then run it yourself', 'dbkit diff --at create_runs                  # against the definition as of that migration', 'dbkit diff --targets fleet.yaml              # every database of the file'],
  'check-indexes': ['dbkit check-indexes --strict --json', 'dbkit check-indexes --targets fleet.yaml --only tag:eu'],
  docs: ['dbkit docs                                   # docs/schema/agents.md and chat.md, from the definition', 'dbkit docs --check                           # in CI: exit 1 when the committed docs are stale', 'dbkit docs --url "$DATABASE_URL" --out docs/prod   # the live database, differences marked'],
  wait: ['dbkit wait --timeout 90 && dbkit migrate'],
  unlock: ['dbkit unlock --url "$DATABASE_URL"', 'dbkit unlock --force --url mysql://app:…@galera-2/chat   # the lease of a killed run, now'],
  completion: ['source <(dbkit completion bash)              # in ~/.bashrc', 'dbkit completion zsh > "${fpath[1]}/_dbkit"'],
};

/** The examples of `command`, with `dbkit` spelled `run` (`./dbkit`, a path, or `dbkit`). */
export function examplesText(command: string, run = 'dbkit'): string {
  const lines = EXAMPLES[command];
  if (!lines) return '';
  const as = (l: string): string => l.replace(/(^|[\s(])dbkit(?= )/g, (_, before: string) => `${before}${run}`);
  return `\nExamples:\n${lines.map((l) => `  $ ${as(l)}`).join('\n')}\n\nGlobal options (--url, --schema, --json, --yes, --quiet, --verbose, ...): ${run} --help\n`;
}
