/** The commander program: declares commands and options, nothing else. */
import { Command, Option } from 'commander';
import { checkIndexesCommand } from '../commands/check-indexes.js';
import { diffCommand } from '../commands/diff.js';
import { makeCommand } from '../commands/make.js';
import { migrateCommand } from '../commands/migrate.js';
import { rollbackCommand } from '../commands/rollback.js';
import { sqlCommand } from '../commands/sql.js';
import { statusCommand } from '../commands/status.js';
import type { GlobalOptions } from '../config/load.js';
import { createIo, type Io, type IoOptions, type Streams } from './io.js';

type Globals = GlobalOptions & IoOptions;

export interface ProgramResult {
  exitCode: number;
  io: Io | null;
}

export function buildProgram(streams: Streams, result: ProgramResult): Command {
  const program = new Command('dbkit')
    .description('Migrations, schema SQL, drift and index checks for the AI platform database (PostgreSQL, MySQL, embedded PGlite)')
    .version('0.1.0')
    .option('--url <url>', 'database URL: postgres://, postgresql://, mysql://, mariadb://, pglite:<dir>, pglite:memory (else DATABASE_URL, .env, config file, or the embedded ./.dbkit/pglite)')
    .option('--schema <name>', 'schema definition: agents or chat (default: agents on PostgreSQL, chat on MySQL)')
    .option('--namespace <name>', 'PostgreSQL schema or MySQL database to use instead of the connection default')
    .option('--config <file>', 'config file (default: dbkit.config.ts|js|json in the working directory)')
    .option('--lock-timeout <seconds>', 'how long to wait for another run to release the migration lock', undefined)
    .option('--json', 'print one JSON document on stdout')
    .option('-y, --yes', 'assume yes: needed for destructive commands when there is no terminal')
    .option('-q, --quiet', 'no progress output')
    .option('-v, --verbose', 'details and SQL on stderr, stack traces on errors (passwords masked)')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => streams.stderr.write(s),
    });

  const io = (cmd: Command): [Globals, Io] => {
    const g = cmd.optsWithGlobals() as Globals & { color?: boolean };
    const colorFlag = process.argv.includes('--no-color') ? false : undefined;
    const made = createIo({ ...g, color: colorFlag }, streams);
    result.io = made;
    return [g, made];
  };
  const set = (code: number) => {
    result.exitCode = code;
  };

  program
    .command('migrate')
    .description('apply pending migrations')
    .option('--to <name>', 'stop after this migration')
    .option('--dry-run', 'print the SQL that would run; change nothing')
    .action(async (opts, cmd: Command) => set(await migrateCommand(opts, ...io(cmd))));

  program
    .command('rollback')
    .description('undo the last batch of migrations (asks first; --yes without a terminal)')
    .option('--steps <n>', 'undo the last N migrations')
    .option('--all', 'undo every migration')
    .option('--dry-run', 'print the SQL that would run; change nothing')
    .action(async (opts, cmd: Command) => set(await rollbackCommand(opts, ...io(cmd))));

  program
    .command('status')
    .description('applied, pending, changed and missing migrations')
    .option('--check', 'exit 1 unless everything is applied and unchanged')
    .action(async (opts, cmd: Command) => set(await statusCommand(opts, ...io(cmd))));

  program
    .command('make')
    .description('create an empty migration file in migrations/<schema>/')
    .argument('<name>', 'what the migration does, e.g. add_user_locale')
    .action((name: string, _opts, cmd: Command) => set(makeCommand(name, ...io(cmd))));

  program
    .command('sql')
    .description('print the full DDL of a schema variant (no database needed)')
    .addOption(new Option('--dialect <dialect>', 'which variant').choices(['postgres', 'mysql']))
    .action((opts, cmd: Command) => set(sqlCommand(opts, ...io(cmd))));

  program
    .command('diff')
    .description('compare the live database with the expected definition (exit 1 on drift)')
    .option('--sql', 'print a reviewable fix script for this dialect (never run)')
    .action(async (opts, cmd: Command) => set(await diffCommand(opts, ...io(cmd))));

  program
    .command('check-indexes')
    .description('check that every expected index exists and is valid; advise on index smells')
    .option('--strict', 'advisories fail the check too')
    .action(async (opts, cmd: Command) => set(await checkIndexesCommand(opts, ...io(cmd))));

  return program;
}
