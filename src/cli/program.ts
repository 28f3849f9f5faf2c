/**
 * The commander program: declares commands and options, nothing else. Each
 * command's module is loaded only when it runs, so a pipeline's `status` or
 * a DBA's `diff` does not pay for the others at start-up.
 */
import { Command, Option } from 'commander';
import type { GlobalOptions } from '../config/load.js';
import { emptyValueError } from './empty-values.js';
import { UsageError } from '../shared/errors.js';
import { examplesText } from './examples.js';
import { invocation } from '../shared/invocation.js';
import { createIo, type Io, type IoOptions, type Streams } from '../shared/io.js';

type Globals = GlobalOptions & IoOptions;

export interface ProgramResult {
  exitCode: number;
  io: Io | null;
}

/** The command modules, through the one module the entry bundle leaves out (see commands-index.ts). */
const load = async () => (await import('./commands-index.js')).commands;

/** A second --url would silently win over the first: refused (the value is never echoed: it holds a password). */
function onceOnly(value: string, previous: string | undefined): string {
  if (previous !== undefined) throw new UsageError('--url given more than once: dbkit works on one database per --url; for several, list them in a targets file and pass --targets FILE');
  return value;
}

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',')];

/** How migrate and rollback bound each statement (src/config/online.ts, docs/online-changes.md). */
function limitOptions(cmd: Command): Command {
  return cmd
    .option('--statement-timeout <seconds>', 'how long one statement may run, in seconds (default 60, config statementTimeout; 0: no bound); CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT and MySQL ALGORITHM=INPLACE, LOCK=NONE are exempt')
    .option('--ddl-lock-timeout <seconds>', "how long a statement waits for its table's lock before it is tried again (default 0.5; MySQL: whole seconds, at least 1; PostgreSQL's CREATE INDEX CONCURRENTLY and VALIDATE CONSTRAINT wait up to --lock-timeout; config ddlLockTimeout)")
    .option('--ddl-lock-attempts <n>', 'how many times a statement that waited too long for its lock is tried, with pauses of 0.5, 1, 2, 4, then 5 s (default 10, config ddlLockAttempts)')
    .option('--online <method>', 'pt-osc: MySQL/MariaDB statements that copy their table (marked blocking by make) run through pt-online-schema-change; none (default, config online)');
}

/** --targets and its companions, on the commands that run over a fleet. */
function fleetOptions(cmd: Command, canary: boolean): Command {
  cmd
    .option('--targets <file>', 'run over every database of a JSON or YAML targets file (see docs/fleets.md)')
    .option('--concurrency <n>', 'with --targets: how many targets at a time (default 4)')
    .addOption(new Option('--on-error <mode>', 'with --targets: after a target fails, start no other (stop) or go on (continue, the default)').choices(['stop', 'continue']))
    .option('--only <name|tag:T>', 'with --targets: just these targets (names or tag:<tag>; repeatable, comma-separated); the others are reported skipped', collect);
  if (canary) cmd.option('--canary <name|tag:T>', 'with --targets: migrate these targets first; if one fails, no other starts (repeatable, comma-separated)', collect);
  return cmd;
}

export function buildProgram(streams: Streams, result: ProgramResult): Command {
  const program = new Command('dbkit')
    .description('Migrations, schema SQL, drift and index checks for the AI platform database (PostgreSQL, MySQL, embedded PGlite)')
    .version('0.1.0')
    .option(
      '--url <url>',
      'database URL: postgres://, postgresql://, mysql://, mariadb://, pglite:<dir>, pglite:memory (else DATABASE_URL, .env, config file, or the embedded ./.dbkit/pglite); one database: for many, --targets',
      onceOnly,
    )
    .option('--schema <name>', 'schema definition: agents or chat (default: agents on PostgreSQL, chat on MySQL)')
    .option('--namespace <name>', 'PostgreSQL schema or MySQL database to use instead of the connection default (not a system one: pg_catalog, mysql, ...)')
    .option('--config <file>', 'config file ending in .ts, .js, .mjs or .json (default: dbkit.config.ts|js|mjs|json in the working directory)')
    .option('--lock-timeout <seconds>', "how long to wait for a lock: the migration or seed lock, another session's lock on dbkit's bookkeeping or on a table seed reads or writes (seconds: 5 or 0.5; default 60)", undefined)
    .option('--direct-url <url>', 'direct server URL for migrate, rollback and unlock when --url goes through a pooler such as PgBouncer (else DBKIT_DIRECT_URL, config directUrl)')
    .option('--json', 'print one JSON document on stdout')
    .option('-y, --yes', 'assume yes: needed for destructive commands when there is no terminal')
    .option('-q, --quiet', 'no progress output')
    .option('-v, --verbose', 'details and SQL on stderr, stack traces on errors (passwords masked)')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .showSuggestionAfterError()
    .exitOverride()
    // An empty value (an unset variable: `--to "$TARGET"`) is a usage error, for every option and argument.
    .hook('preAction', (_program, action) => {
      const empty = emptyValueError(action);
      if (empty) throw empty;
    })
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      // Commander's own messages follow the one-line error format: `dbkit: ...`.
      writeErr: (s) => streams.stderr.write(s.replace(/^error: /, 'dbkit: ')),
    });

  const io = (cmd: Command): [Globals, Io] => {
    const g = cmd.optsWithGlobals() as Globals & { color?: boolean };
    // --no-color turns colour off; otherwise the terminal and NO_COLOR decide.
    const made = createIo({ ...g, color: g.color === false ? false : undefined }, streams);
    result.io = made;
    return [g, made];
  };
  const set = (code: number) => {
    result.exitCode = code;
  };

  fleetOptions(
    limitOptions(
      program
        .command('migrate')
        .description('apply pending migrations')
        .option('--to <name>', 'stop after this migration')
        .option('--dry-run', 'print the SQL that would run; change nothing')
        .option(
          '--accept-changed <name>',
          'accept an applied migration that was edited (record its new checksum) or whose file is gone (forget it); a full name found nowhere is nothing to accept; repeatable',
          (v: string, prev: string[] = []) => [...prev, v],
        )
        .option('--allow-data-loss', 'run even though the live data pre-flight found rows a pending migration drops or loses (they are reported); rows that would make it fail still refuse the run (exit 9)')
        .option('--allow-out-of-order', 'apply pending migrations that sort before applied ones (recorded as applied out of order); refused without it (exit 1)')
        .option(
          '--adopt <name>',
          'record a pending migration as applied without running it, once the live catalog shows its effect (two branches merged; see docs/recovery.md); run it as usual where the catalog shows its effect absent; repeatable',
          (v: string, prev: string[] = []) => [...prev, v],
        ),
    ),
    true,
  ).action(async (opts, cmd: Command) => set(await (await (await load()).migrate()).migrateCommand(opts, ...io(cmd))));

  limitOptions(
    program
      .command('rollback')
      .description('undo the last batch of migrations (asks first; --yes without a terminal)')
      .option('--steps <n>', 'undo the last N migrations')
      .option('--all', 'undo every migration')
      .option('--dry-run', 'print the SQL that would run; change nothing')
      .option('--force', 'also roll back migrations whose down cannot bring back the data their up removed'),
  ).action(async (opts, cmd: Command) => set(await (await (await load()).rollback()).rollbackCommand(opts, ...io(cmd))));

  fleetOptions(
    program
      .command('status')
      .description('applied, pending, changed and missing migrations')
      .option('--check', 'exit 1 unless everything is applied and unchanged'),
    false,
  ).action(async (opts, cmd: Command) => set(await (await (await load()).status()).statusCommand(opts, ...io(cmd))));

  program
    .command('make')
    .description('make the next migration from the change of src/schema/ since the snapshot: both dialects, up and down (no build, no database)')
    .argument('<name>', 'what the migration does, e.g. add_user_locale')
    .option('--rename <from=to>', 'declare a rename: table.old_column=new_column or old_table=new_table (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--no-renames', 'a drop plus an add that could be a rename is a drop and an add')
    .option('--allow-data-loss', 'make it even when it drops data or can fail on existing rows (recorded in the migration)')
    .option('--allow-blocking', 'make it even when a statement copies or rewrites a table with writes blocked (recorded in the migration; see docs/online-changes.md)')
    .option('--empty', 'a hand-written migration: empty SQL files to fill in (data changes)')
    .option('--dry-run', 'print the SQL files; write nothing')
    .action(async (name: string, opts, cmd: Command) => set(await (await (await load()).make()).makeCommand(name, opts, ...io(cmd))));

  program
    .command('check')
    .description('check the migrations offline: sum file, snapshot = src/schema/, replay in an in-memory PGlite, dbkit lint; --url replays on a scratch namespace of that server')
    .action(async (_opts, cmd: Command) => set(await (await (await load()).check()).checkCommand(...io(cmd))));

  program
    .command('lint')
    .description('check every migration\'s SQL (both dialects, up and down) for blocking locks, rewrites, missing NOT VALID, unsafe re-runs and breaking drops; exit 1 on findings (docs/lint.md)')
    .addOption(new Option('--dialect <dialect>', 'only this dialect\'s SQL files').choices(['postgres', 'mysql']))
    .addHelpText('after', '\nAccept one finding in the migration, on the line before its statement:\n  -- dbkit-lint: allow DBK201 <why it is safe here>\nthen run dbkit hash (comments are not part of the checksums migrate records).')
    .action(async (opts, cmd: Command) => set(await (await (await load()).lint()).lintCommand(opts, ...io(cmd))));

  program
    .command('hash')
    .description('record the migrations folder in its sum file (migrations/<schema>/dbkit.sum), e.g. after resolving a merge')
    .action(async (_opts, cmd: Command) => set(await (await (await load()).hash()).hashCommand(...io(cmd))));

  program
    .command('sql')
    .description('print the full DDL of a schema variant (no database needed)')
    .addOption(new Option('--dialect <dialect>', 'which variant').choices(['postgres', 'mysql']))
    .action(async (opts, cmd: Command) => set(await (await (await load()).sql()).sqlCommand(opts, ...io(cmd))));

  program
    .command('seed')
    .description('fill the schema with realistic fake data (bulk-loaded, one transaction)')
    .option('--users <n>', 'how many users to create, each with their own rows (default: config seed.users, else 100; at most 1000000, above 100000 asks first or needs --yes)')
    .option('--seed <s>', 'random seed: the same seed and dbkit version give the same rows (default: random, reported)')
    .option('--truncate', 'empty the schema\'s tables first (asks first; --yes without a terminal)')
    .option('--append', 'add to existing rows instead of refusing a non-empty schema')
    .option('--force', 'seed even a database marked production (DBKIT_ENV=production or config env)')
    .addHelpText('after', '\nPer-parent counts (means) can be set in the config file, e.g. { "seed": { "users": 50, "agents": { "runsPerSession": 8 } } }.\nagents: sessionsPerUser 5, runsPerSession 4, messagesPerRun 12, filesPerRun 1.5, settingsPerUser 4, galleryPerUser 3\nchat: conversationsPerUser 8, messagesPerConversation 22, failedCallRate 0.04')
    .action(async (opts, cmd: Command) => set(await (await (await load()).seed()).seedCommand(opts, ...io(cmd))));

  program
    .command('init')
    .description('set a project up: ask for (or take from flags) the connection, test it, write .env and dbkit.config.json')
    .option('--engine <engine>', 'postgres, mysql or pglite')
    .option('--host <host>', 'server host (default localhost)')
    .option('--port <port>', 'server port (default 5432 / 3306)')
    .option('--user <user>', 'user (default postgres / root)')
    .option('--password <password>', 'password (visible to other local users in the process list: prefer DBKIT_PASSWORD or the prompt)')
    .option('--database <name>', 'database (default app)')
    .option('--dir <dir>', 'PGlite data directory (default ./.dbkit/pglite)')
    .option('--force', 'replace an existing .env DATABASE_URL or dbkit.config.json without asking')
    .option('--no-test', 'write the files without testing the connection')
    .action(async (opts, cmd: Command) => set(await (await (await load()).init()).initCommand(opts, ...io(cmd))));

  program
    .command('wait')
    .description('wait until the database accepts connections (exit 3 when --timeout passes first)')
    .option('--timeout <seconds>', 'how long to wait, in seconds (default 60; any length, e.g. 86400)')
    .action(async (opts, cmd: Command) => set(await (await (await load()).wait()).waitCommand(opts, ...io(cmd))));

  program
    .command('unlock')
    .description("clear a migration lock row left set by another tool (dbkit's own locks free themselves); --force clears a Galera lease at once")
    .option('--force', "don't wait for dbkit's lock: delete a Galera lease whoever holds it (only when its holder is gone: a live one stops at its next fence)")
    .action(async (opts, cmd: Command) => set(await (await (await load()).unlock()).unlockCommand(opts, ...io(cmd))));

  fleetOptions(
    program
      .command('diff')
      .description('compare the live database with the expected definition (exit 1 on drift)')
      .option('--sql', 'print a reviewable fix script for this dialect (never run)')
      .option('--at <migration>', 'compare with the definition as of this migration (its snapshot) instead of the newest'),
    false,
  ).action(async (opts, cmd: Command) => set(await (await (await load()).diff()).diffCommand(opts, ...io(cmd))));

  fleetOptions(
    program
      .command('check-indexes')
      .description('check that every expected index exists and is valid; advise on index smells')
      .option('--strict', 'advisories fail the check too'),
    false,
  ).action(async (opts, cmd: Command) => set(await (await (await load()).checkIndexes()).checkIndexesCommand(opts, ...io(cmd))));

  program
    .command('docs')
    .description('write a Markdown document per schema with a Mermaid ER diagram (from the definition; a live database with --url)')
    .option('--out <dir>', 'directory to write to (default docs/schema)')
    .option('--check', 'write nothing; exit 1 when a document in --out is stale or missing (for CI)')
    .option('--stdout', 'print the documents instead of writing them')
    .addHelpText(
      'after',
      '\nWithout --url: one document per schema (--schema: just that one), both variants side by side, from the\n' +
        'definition alone. With --url: <schema>.<dialect>.live.md, the live database beside the definition, each\n' +
        'difference (as dbkit diff reports it) marked. DATABASE_URL and .env are not used: only --url goes live.',
    )
    .action(async (opts, cmd: Command) => set(await (await (await load()).docs()).docsCommand(opts, ...io(cmd))));

  program
    .command('completion')
    .description('print a shell completion script (bash or zsh)')
    .argument('[shell]', 'bash or zsh', 'bash')
    .action(async (shell: string) => {
      const { completionScript } = await import('./completion.js');
      if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`completion: unknown shell "${shell}" (use bash or zsh)`);
      const longFlags = (c: Command) => c.options.map((o) => o.long).filter((f): f is string => !!f);
      const valued = [program, ...program.commands].flatMap((c) => c.options.filter((o) => o.required || o.optional).map((o) => o.long!));
      const spec = {
        globals: [...longFlags(program), '--help'],
        valued: [...new Set(valued)],
        commands: program.commands.map((c) => ({ name: c.name(), options: longFlags(c) })),
      };
      streams.stdout.write(completionScript(shell, spec));
      set(0);
    });

  // `help <command>`, and "unknown command" (exit 2) for a name that is none, instead of commander's whole help.
  program.helpCommand(false);
  program
    .command('help')
    .description('show the help of a command')
    .argument('[command]', 'a command')
    .action((name: string | undefined) => {
      if (name === undefined) {
        program.outputHelp();
        return set(0);
      }
      const cmd = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (!cmd || cmd.name() === 'help') {
        throw new UsageError(`unknown command '${name}' (the commands: ${program.commands.map((c) => c.name()).filter((n) => n !== 'help').join(', ')})`);
      }
      cmd.outputHelp();
      set(0);
    });

  // Written as the user types dbkit (./dbkit in a checkout), worked out only when help is shown.
  for (const c of program.commands) c.addHelpText('after', () => examplesText(c.name(), invocation()));
  return program;
}
