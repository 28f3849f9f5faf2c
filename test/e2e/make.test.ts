/**
 * `dbkit make` in a temporary checkout (issue 12, acceptance 3 and the rest
 * of what make promises): no change says so; --dry-run prints the SQL and
 * writes nothing; an ambiguous drop plus add exits 2 without a terminal,
 * listing each candidate and its flag, and is asked about on one; a change
 * that loses data exits 2 naming it unless --allow-data-loss; --empty makes a
 * hand-written migration; a long name is a usage error. And two git branches
 * that each make a migration from the same base conflict in the sum file
 * (acceptance 4).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, json } from '../support/cli.js';
import { checkout, CHANGES } from '../support/checkout.js';
import { onPty } from '../support/pty.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-make-');
const listing = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).sort();

describe('dbkit make', () => {
  it('no change: says so and writes nothing; --dry-run prints the four SQL files and writes nothing', async () => {
    const co = checkout(tmp());
    const before = listing(path.join(co.root, 'migrations'));
    const none = await co.run(['make', 'nothing', '--schema', 'chat']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain('chat: no change since the last migration (20250201000400_create_api_calls): nothing to make');
    CHANGES[0]!.edit(co);
    const dry = await co.run(['make', 'add_users_bio', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/-- dbkit make --dry-run: migrations\/agents\/\d{14}_add_users_bio\/ \(nothing written\)/);
    expect(dry.stdout).toContain('ALTER TABLE "users" ADD COLUMN "bio" text;');
    expect(dry.stdout).toContain('ALTER TABLE `users` ADD COLUMN `bio` text, ALGORITHM=INSTANT;');
    expect(dry.stdout).toContain('ALTER TABLE "users" DROP COLUMN "bio";');
    expect(listing(path.join(co.root, 'migrations'))).toEqual(before);
    const made = await co.run(['make', 'add_users_bio']);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^created migrations\/agents\/\d{14}_add_users_bio\/ \(and updated migrations\/agents\/dbkit.sum\)\n  \+ add column users.bio text\n/);
    expect(co.migrations('agents')).toHaveLength(8);
    expect((await co.run(['make', 'again'])).stdout).toMatch(/no change since the last migration \(\d{14}_add_users_bio\)/);
  }, 120_000);

  it('without a terminal, a drop plus an add that could be a rename exits 2 listing each candidate and its flag', async () => {
    const co = checkout(tmp());
    co.edit('agents.ts', "{ name: 'password_hash', type: t.varchar(255), notNull: true },", "{ name: 'pw_hash', type: t.varchar(255), notNull: true },");
    const r = await co.run(['make', 'rename_hash']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'dbkit: make: a drop and an add that could be a rename: column users.password_hash -> pw_hash (--rename users.password_hash=pw_hash). ' +
        'Declare each rename with its flag (or renamedFrom in the definition), or pass --no-renames if they are a drop and an add\n',
    );
    expect(co.migrations('agents')).toHaveLength(7);
    // --no-renames: a drop and an add, which loses data: refused, naming it.
    const lossy = await co.run(['make', 'rename_hash', '--no-renames']);
    expect(lossy.code).toBe(2);
    expect(lossy.stderr).toMatch(/^dbkit: make: refused: this change .*drops column users.password_hash \(its values are lost\)/);
    expect(lossy.stderr).toContain('Pass --allow-data-loss to make it anyway');
    // The flag settles it: a rename, no data loss.
    const renamed = await co.run(['make', 'rename_hash', '--rename', 'users.password_hash=pw_hash', '--json']);
    expect(renamed.code, renamed.stderr).toBe(0);
    const doc = json<{ changes: string[]; dialects: Record<string, { up: string[]; down: string[] }> }>(renamed);
    expect(doc.changes).toEqual(['rename column users.password_hash -> pw_hash']);
    expect(doc.dialects.postgres).toMatchObject({ up: ['ALTER TABLE "users" RENAME COLUMN "password_hash" TO "pw_hash"'], down: ['ALTER TABLE "users" RENAME COLUMN "pw_hash" TO "password_hash"'] });
  }, 120_000);

  it('on a terminal the rename is asked about, and a yes makes it one', async () => {
    const co = checkout(tmp());
    co.edit('agents.ts', "{ name: 'password_hash', type: t.varchar(255), notNull: true },", "{ name: 'pw_hash', type: t.varchar(255), notNull: true },");
    const r = await onPty(`${process.execPath} ${bin} make rename_hash --no-color`, [{ prompt: /Was column users\.password_hash renamed to pw_hash\?/, keys: 'y\r' }], {
      cwd: co.root,
      env: { DBKIT_ROOT: co.root, NO_COLOR: '1' },
    });
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toContain('+ rename column users.password_hash -> pw_hash');
  }, 120_000);

  it('a change that loses data exits 2 naming the operation unless --allow-data-loss, which records it', async () => {
    const co = checkout(tmp());
    CHANGES.find((c) => c.name === 'drop_sessions_config')!.edit(co);
    const refused = await co.run(['make', 'drop_config']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "dbkit: make: refused: this change drops column sessions.config (its values are lost). Pass --allow-data-loss to make it anyway (the warnings go into the migration's header)\n",
    );
    expect(co.migrations('agents')).toHaveLength(7);
    const allowed = await co.run(['make', 'drop_config', '--allow-data-loss']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('! drops column sessions.config (its values are lost) (allowed)');
    expect(allowed.stdout).toContain("its down cannot restore the data (rollback needs --force)");
    const dir = path.join(co.root, 'migrations', 'agents', co.migrations('agents').at(-1)!);
    expect(fs.readFileSync(path.join(dir, 'postgres.up.sql'), 'utf8')).toContain('-- DATA LOSS: drops column sessions.config (its values are lost)');
    expect(fs.readFileSync(path.join(dir, 'mysql.down.sql'), 'utf8')).toContain('cannot restore the data its up removed');
  }, 120_000);

  it('a down that blocks writes is listed (not gated): an enum label added and a column dropped, made with --allow-data-loss alone', async () => {
    const co = checkout(tmp());
    co.edit('chat.ts', "type: t.enum('user', 'assistant', 'system'),", "type: t.enum('user', 'assistant', 'system', 'tool'),");
    co.edit(
      'chat.ts',
      "        {\n          name: 'content_type',\n          type: t.enum('text', 'image_url', 'video_url'),\n          notNull: true,\n          default: str('text'),\n          comment: 'Content type',\n        },\n",
      '',
    );
    const pg = "PostgreSQL: rewrites table messages under an ACCESS EXCLUSIVE lock (alter enum type messages_role: remove 'tool'): reads and writes wait until it ends";
    const my =
      "MySQL/MariaDB: copies table messages (alter column messages.role: enum('user','assistant','system','tool') -> enum('user','assistant','system')): writes wait until the copy ends (dbkit migrate --online pt-osc copies it without blocking them)";
    const dry = await co.run(['make', 'enum_and_drop', '--schema', 'chat', '--allow-data-loss', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(json<{ blocking: string[]; rollbackBlocking: string[] }>(dry)).toMatchObject({ blocking: [], rollbackBlocking: [pg, my] });
    const made = await co.run(['make', 'enum_and_drop', '--schema', 'chat', '--allow-data-loss']);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(`\n  ! the rollback of this change blocks writes: ${pg}\n  ! the rollback of this change blocks writes: ${my}\n`);
    expect(made.stdout).not.toContain('! blocks writes:');
    const dir = path.join(co.root, 'migrations', 'chat', co.migrations('chat').at(-1)!);
    const reason = 'the rollback blocks writes while it runs (listed by make; rollback is run on purpose; see the BLOCKS WRITES line of the header)';
    expect(fs.readFileSync(path.join(dir, 'postgres.down.sql'), 'utf8')).toContain(`-- dbkit-lint: allow DBK201 ${reason}\nALTER TABLE "messages" ALTER COLUMN "role"`);
    expect(fs.readFileSync(path.join(dir, 'mysql.down.sql'), 'utf8')).toContain(`-- dbkit-lint: allow DBK203 ${reason}\nALTER TABLE \`messages\` MODIFY COLUMN \`role\``);
    for (const f of ['postgres.down.sql', 'mysql.down.sql']) expect(fs.readFileSync(path.join(dir, f), 'utf8')).not.toContain('--allow-blocking');
    const lint = await co.run(['lint', '--schema', 'chat']);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
  }, 120_000);

  it('--empty makes a hand-written migration: instructions, no statements, the snapshot unchanged', async () => {
    const co = checkout(tmp());
    const r = await co.run(['make', 'backfill', '--empty', '--schema', 'chat']);
    expect(r.code, r.stderr).toBe(0);
    const dir = path.join(co.root, 'migrations', 'chat', co.migrations('chat').at(-1)!);
    expect(fs.readFileSync(path.join(dir, 'mysql.up.sql'), 'utf8')).toContain('hand-written: put the statements below');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'migration.json'), 'utf8'))).toMatchObject({ handWritten: true });
    expect(fs.readFileSync(path.join(dir, 'snapshot.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(co.root, 'migrations', 'chat', '20250201000400_create_api_calls', 'snapshot.json'), 'utf8'),
    );
    expect((await co.run(['check', '--schema', 'chat'])).code).toBe(0);
  }, 300_000);

  it('a name too long for a file name is a usage error', async () => {
    const co = checkout(tmp());
    const r = await co.run(['make', 'x'.repeat(300)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dbkit: make: NAME is too long \(300 characters; at most 100\)/);
  });
});

describe('two branches that each make a migration', () => {
  it('conflict in the sum file when merged; after resolving, the later one is made again on top of the other', async () => {
    const co = checkout(tmp());
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: co.root, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'bio');
    CHANGES[0]!.edit(co);
    expect((await co.run(['make', 'add_users_bio'])).code).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'bio');
    git('checkout', '-q', 'main');
    git('checkout', '-qb', 'index');
    CHANGES.find((c) => c.name === 'index_messages_type')!.edit(co);
    expect((await co.run(['make', 'index_messages_type'])).code).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'index');
    git('checkout', '-q', 'main');
    git('merge', '-q', 'bio');
    const merge = spawnSync('git', ['merge', 'index'], { cwd: co.root, encoding: 'utf8' });
    expect(merge.status).not.toBe(0);
    const conflicted = git('diff', '--name-only', '--diff-filter=U').trim().split('\n');
    expect(conflicted).toContain('migrations/agents/dbkit.sum');

    // Resolved by hand the wrong way (both lines kept): dbkit refuses the folder until it is hashed.
    const sum = path.join(co.root, 'migrations', 'agents', 'dbkit.sum');
    const status = await co.run(['status', '--url', 'pglite:memory']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('dbkit.sum has merge conflict markers');
    // The way the README says: keep the first branch's migration, drop the later one, make it again.
    const later = co.migrations('agents').at(-1)!;
    expect(later).toMatch(/_index_messages_type$/);
    fs.rmSync(path.join(co.root, 'migrations', 'agents', later), { recursive: true });
    fs.writeFileSync(sum, '');
    expect((await co.run(['hash', '--schema', 'agents'])).code).toBe(0);
    // src/schema/agents.ts merged cleanly and holds both changes; the snapshot has the first only.
    const remade = await co.run(['make', 'index_messages_type']);
    expect(remade.code, remade.stderr).toBe(0);
    expect(remade.stdout).toContain('+ create index idx_messages_message_type on messages (message_type)');
    const check = await co.run(['check', '--schema', 'agents']);
    expect(check.code, check.stdout).toBe(0);
  }, 300_000);
});
