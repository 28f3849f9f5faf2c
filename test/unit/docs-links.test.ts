/**
 * The documentation holds together (issue 21, acceptance 4): every relative
 * link of README.md, ARCHITECTURE.md and docs/**\/*.md resolves (the file or
 * folder exists; an #anchor into a Markdown page is one of its headings by
 * GitHub's rules), and every dbkit command quoted in them (`dbkit ...`,
 * `./dbkit ...`, `npx dbkit ...`, in code blocks and inline code) is a
 * command of the real CLI, with options that command (or every command)
 * takes. The command table comes from the commander program itself
 * (buildProgram), so a renamed option fails here until the docs follow.
 * No server, no process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { anchorsOf, cliTable, commandFindings, commandsIn, docPages, githubSlug, linkProblem, linksOf } from '../support/docs-check.js';
import { repoRoot } from '../support/cli.js';

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const program = buildProgram({ stdout: sink, stderr: sink, stdinIsTTY: false, stderrIsTTY: false, stdoutIsTTY: false }, { exitCode: 0, io: null });
const table = cliTable(program);
const read = (abs: string): string | null => {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
};
const pages = docPages(repoRoot);

describe('the docs: links and quoted commands', () => {
  it('covers the README, ARCHITECTURE.md and the pages of docs/', () => {
    expect(pages).toContain('README.md');
    expect(pages).toContain('ARCHITECTURE.md');
    expect(pages).toContain(path.join('docs', 'commands.md'));
    expect(pages).toContain(path.join('docs', 'schema', 'agents.md'));
  });

  it('the command table is the real CLI: every command of dbkit --help, with its own options', () => {
    expect([...table.commands.keys()].sort()).toEqual(
      ['check', 'check-indexes', 'completion', 'diff', 'docs', 'hash', 'help', 'init', 'lint', 'make', 'migrate', 'rollback', 'seed', 'sql', 'status', 'unlock', 'wait'].sort(),
    );
    expect(table.commands.get('migrate')).toContain('--dry-run');
    expect(table.commands.get('migrate')).toContain('--targets');
    expect(table.commands.get('rollback')).not.toContain('--targets');
    expect(table.global).toContain('--url');
    expect(table.global).toContain('-q');
    expect(table.globalValued).toContain('--url');
    expect(table.globalValued).not.toContain('--json');
  });

  it.each(pages)('%s: every relative link resolves', (page) => {
    const text = fs.readFileSync(path.join(repoRoot, page), 'utf8');
    const broken = linksOf(text)
      .map((l) => ({ ...l, problem: linkProblem(repoRoot, page, l.target, read) }))
      .filter((l) => l.problem)
      .map((l) => `${page}:${l.line}: ${l.problem}`);
    expect(broken).toEqual([]);
  });

  it.each(pages)('%s: every quoted dbkit command exists, with options it takes', (page) => {
    const text = fs.readFileSync(path.join(repoRoot, page), 'utf8');
    const wrong = commandFindings(text, table).map((f) => `${page}:${f.line}: ${f.problem}: ${f.text}`);
    expect(wrong).toEqual([]);
  });
});

describe('the checks themselves, on fixtures', () => {
  const check = (md: string) => commandFindings(md, table).map((f) => f.problem);

  it('a misspelt option fails; the right one passes, in a code block and in inline code', () => {
    expect(check('```sh\ndbkit migrate --dry-rum\n```\n')).toEqual(['dbkit migrate takes no option --dry-rum']);
    expect(check('```sh\ndbkit migrate --dry-run\n```\n')).toEqual([]);
    expect(check('Run `dbkit migrate --dry-rum` first.')).toEqual(['dbkit migrate takes no option --dry-rum']);
    expect(check('Run `./dbkit migrate --dry-run` first, or `npx dbkit status --check`.')).toEqual([]);
    // An option of another command is not one of this command's.
    expect(check('`dbkit rollback --targets fleet.yaml`')).toEqual(['dbkit rollback takes no option --targets']);
    expect(check('`dbkit status --check --qiet`')).toEqual(['dbkit status takes no option --qiet']);
    // Global options, before or after the command, and short-flag bundles.
    expect(check('`dbkit --url "$URL" migrate --json -qy`')).toEqual([]);
    expect(check('`dbkit --urll x migrate`')).toEqual(['unknown option --urll']);
  });

  it('an unknown command fails; help names a command', () => {
    expect(check('```sh\n$ dbkit migrat --to create_runs\n```\n')).toEqual(['unknown command migrat']);
    expect(check('`dbkit help migrate`')).toEqual([]);
    expect(check('`dbkit help migrat`')).toEqual(['unknown command migrat (after help)']);
  });

  it('placeholders, prose and output do not trip it', () => {
    expect(check('`dbkit <command> --help`, `dbkit help <command>`, `dbkit migrate --to NAME`, `dbkit …`')).toEqual([]);
    expect(check('`dbkit` runs everywhere; `dbkit_migrations` is a table; `dbkit.config.json`; `dbkit-lint: allow DBK101 why`')).toEqual([]);
    expect(check('`dbkit bookkeeping v1` is the comment')).toEqual([]);
    expect(check('```\ndbkit: cannot connect to postgres://app:****@db/app: run dbkit migrate first\n```\n')).toEqual([]);
    // An output block's prompt lines are commands; its other lines are output.
    expect(check('```\n$ dbkit seed --users 400 --sed 7\n  same data again: dbkit seed --seed 7 --users 400 --truncate\n```\n')).toEqual(['dbkit seed takes no option --sed']);
    expect(check('```\nratio dbkit --help / node -e 0: 1.23; dbkit sql / node -e 0: 1.44\n```\n')).toEqual([]);
    expect(check('```json\n{ "run": "dbkit migrate --nope" }\n```\n')).toEqual([]);
    expect(check('```yaml\n  script:\n    - ./dbkit migrate --url "$PG_URL" --jsn\n```\n')).toEqual(['dbkit migrate takes no option --jsn']);
    expect(check('`dbkit migrate --url pglite:<dir>`, `dbkit migrate --url "$DATABASE_URL" --json > out.json`')).toEqual([]);
  });

  it('reads shell lines: pipes, &&, $(…), <(…), comments, usage brackets, paths to the launcher', () => {
    expect(commandsIn('dbkit wait --timeout 90 && dbkit migrate').map((c) => c.words)).toEqual([['wait', '--timeout', '90'], ['migrate']]);
    expect(commandsIn('source <(dbkit completion bash)   # in ~/.bashrc').map((c) => c.words)).toEqual([['completion', 'bash']]);
    expect(commandsIn('dbkit sql --dialect mysql | mariadb -h 127.0.0.1 -u root -p app').map((c) => c.words)).toEqual([['sql', '--dialect', 'mysql']]);
    expect(commandsIn('dbkit rollback [--steps N | --all] [--dry-run]').map((c) => c.words)).toEqual([['rollback', '--steps', 'N', '--all', '--dry-run']]);
    expect(commandsIn('`dbkit sql \\| head -1`'.slice(1, -1)).map((c) => c.words)).toEqual([['sql']]);
    expect(commandsIn('../dbkit/dbkit status').map((c) => c.words)).toEqual([['status']]);
    expect(commandsIn('node dist/cli/dbkit.cjs status --json').map((c) => c.words)).toEqual([['status', '--json']]);
    expect(commandsIn('  - ./dbkit wait --url "$PG_URL" --timeout 60').map((c) => c.words)).toEqual([['wait', '--url', '"$PG_URL"', '--timeout', '60']]);
    expect(commandsIn('DATABASE_URL=x ./dbkit status')).toHaveLength(1);
    expect(commandsIn('mv .dbkit/pglite .dbkit/pglite-pg17')).toEqual([]);
    expect(check('```sh\ndbkit wait --timeout 90 && dbkit migrate --too x\n```\n')).toEqual(['dbkit migrate takes no option --too']);
  });

  it('anchors follow GitHub: code ticks and punctuation dropped, spaces to hyphens, repeats numbered', () => {
    expect(githubSlug('`dbkit migrate [--to NAME] [--dry-run]`')).toBe('dbkit-migrate---to-name---dry-run');
    expect(githubSlug('The migration lock: one server, Galera, PgBouncer')).toBe('the-migration-lock-one-server-galera-pgbouncer');
    expect(githubSlug('Over a fleet: `--targets FILE`')).toBe('over-a-fleet---targets-file');
    expect(githubSlug('Measured: bench/online')).toBe('measured-benchonline');
    expect(githubSlug('api_calls')).toBe('api_calls');
    expect([...anchorsOf('# A\n## Notes\n```\n## not a heading\n```\n## Notes\n<a id="here"></a>\n')]).toEqual(['a', 'notes', 'notes-1', 'here']);
  });

  it('a link to a missing file or heading fails; one that resolves passes; code is not a link', () => {
    const page = 'README.md';
    const md = '[a](docs/recovery.md) [b](docs/nope.md) [c](docs/recovery.md#pglite) [d](docs/recovery.md#nowhere) [e](#exit-codes) [f](https://example.com/x) `[g](nope.md)`';
    const problems = linksOf(md).map((l) => linkProblem(repoRoot, page, l.target, read));
    expect(problems[0]).toBeNull();
    expect(problems[1]).toMatch(/docs\/nope\.md does not exist/);
    expect(problems[2]).toBeNull();
    expect(problems[3]).toMatch(/no heading or anchor #nowhere/);
    expect(problems[4]).toBeNull();
    expect(problems[5]).toBeNull();
    expect(problems).toHaveLength(6);
    expect(linkProblem(repoRoot, 'docs/commands.md', '../../outside.md', read)).toMatch(/outside the repository/);
  });
});
