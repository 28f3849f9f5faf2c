/**
 * `dbkit seed` on real engines: PostgreSQL, MariaDB and PGlite, both
 * schemas. Counts match the JSON report, no foreign key is orphaned or
 * crosses users, times are ordered, JSON matches its type, password hashes
 * verify, and the same seed gives the same rows.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { seedPassword } from '../../src/seed/generate.js';
import { verifyPassword } from '../../src/seed/password.js';
import { dbkit, json } from '../support/cli.js';
import { dumpTables, freshMysql, freshPglite, freshPostgres, openAdmin, type AdminConnection, type FreshDatabase } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

const SEED = 4242;
const USERS = 12;

interface SeedReport {
  dialect: string;
  schema: string;
  seed: number;
  tables: Record<string, number>;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  method: string;
  foreignKeys: string;
}

type Dialect = 'postgres' | 'mysql';

/** SQL that counts rule violations, per schema; each must count 0. `q` quotes an identifier. */
const RULES: Record<string, (q: (n: string) => string) => Record<string, string>> = {
  agents: (q) => ({
    'run of another user than its session': `SELECT count(*) AS n FROM runs r JOIN sessions s ON s.id = r.session_id WHERE r.user_id <> s.user_id`,
    'gallery entry on another user\'s run': `SELECT count(*) AS n FROM gallery g JOIN runs r ON r.id = g.run_id WHERE r.user_id <> g.user_id`,
    'orphan session': `SELECT count(*) AS n FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE u.id IS NULL`,
    'orphan message': `SELECT count(*) AS n FROM messages m LEFT JOIN runs r ON r.id = m.run_id WHERE r.id IS NULL`,
    'orphan file': `SELECT count(*) AS n FROM files f LEFT JOIN runs r ON r.id = f.run_id WHERE r.id IS NULL`,
    'completed_at on an unfinished run, or missing on a finished one':
      `SELECT count(*) AS n FROM runs WHERE (status IN ('completed', 'failed', 'cancelled')) <> (completed_at IS NOT NULL)`,
    'result or usage on an unfinished run': `SELECT count(*) AS n FROM runs WHERE status IN ('running', 'pending') AND (result IS NOT NULL OR usage_statistics IS NOT NULL)`,
    'updated_at before created_at': `SELECT (SELECT count(*) FROM users WHERE updated_at < created_at) + (SELECT count(*) FROM sessions WHERE updated_at < created_at) + (SELECT count(*) FROM runs WHERE updated_at < created_at) + (SELECT count(*) FROM settings WHERE updated_at < created_at) AS n`,
    'session before its user': `SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.created_at < u.created_at`,
    'run before its session': `SELECT count(*) AS n FROM runs r JOIN sessions s ON s.id = r.session_id WHERE r.created_at < s.created_at`,
    'message before its run': `SELECT count(*) AS n FROM messages m JOIN runs r ON r.id = m.run_id WHERE m.${q('timestamp')} < r.created_at`,
    'message after its run completed': `SELECT count(*) AS n FROM messages m JOIN runs r ON r.id = m.run_id WHERE r.completed_at IS NOT NULL AND m.${q('timestamp')} > r.completed_at`,
    'file outside its run': `SELECT count(*) AS n FROM files f JOIN runs r ON r.id = f.run_id WHERE f.created_at < r.created_at OR f.created_at > r.updated_at`,
    'gallery entry before its run completed': `SELECT count(*) AS n FROM gallery g JOIN runs r ON r.id = g.run_id WHERE g.created_at < r.completed_at`,
    'file hash not SHA-256 hex': `SELECT count(*) AS n FROM files WHERE length(file_hash) <> 64 OR file_hash IS NULL`,
    'settings key twice for a user': `SELECT count(*) AS n FROM (SELECT user_id, ${q('key')} FROM settings WHERE user_id IS NOT NULL GROUP BY user_id, ${q('key')} HAVING count(*) > 1) d`,
    'plaintext password': `SELECT count(*) AS n FROM users WHERE password_hash NOT LIKE '$scrypt$%'`,
  }),
  chat: () => ({
    'message of another user than its conversation': `SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id <> c.user_id`,
    'orphan message': `SELECT count(*) AS n FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id WHERE c.id IS NULL`,
    'api call not on an assistant message of its conversation and user':
      `SELECT count(*) AS n FROM api_calls a LEFT JOIN messages m ON m.id = a.message_id WHERE m.id IS NULL OR m.role <> 'assistant' OR m.conversation_id <> a.conversation_id OR m.user_id <> a.user_id`,
    'conversation of an api call belongs to another user': `SELECT count(*) AS n FROM api_calls a JOIN conversations c ON c.id = a.conversation_id WHERE c.user_id <> a.user_id`,
    'total_tokens is not request + response': `SELECT count(*) AS n FROM api_calls WHERE total_tokens <> request_tokens + response_tokens`,
    'api call after the answer it produced': `SELECT count(*) AS n FROM api_calls a JOIN messages m ON m.id = a.message_id WHERE a.created_at > m.created_at`,
    'model of an api call differs from its conversation': `SELECT count(*) AS n FROM api_calls a JOIN conversations c ON c.id = a.conversation_id WHERE a.model_name <> c.model_name`,
    'message before its conversation': `SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.created_at < c.created_at`,
    'conversation updated before it started': `SELECT count(*) AS n FROM conversations WHERE updated_at < created_at`,
    'user updated before created, or last login before joining': `SELECT count(*) AS n FROM users WHERE updated_at < created_at OR last_login_at < created_at`,
    'failed call with response tokens': `SELECT count(*) AS n FROM api_calls WHERE status_code <> 200 AND response_tokens <> 0`,
    'plaintext password': `SELECT count(*) AS n FROM users WHERE password_hash NOT LIKE '$scrypt$%'`,
  }),
};

const quoter = (dialect: Dialect) => (n: string) => (dialect === 'mysql' ? `\`${n}\`` : `"${n}"`);

async function ruleViolations(db: AdminConnection, schema: string, dialect: Dialect): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [rule, sql] of Object.entries(RULES[schema]!(quoter(dialect)))) out[rule] = Number((await db.query<{ n: unknown }>(sql))[0]!.n);
  return out;
}

const asJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** Rules easier said in code than in SQL portable to both engines. */
async function codeViolations(db: AdminConnection, schema: string, dialect: Dialect): Promise<string[]> {
  const problems: string[] = [];
  if (schema === 'chat') {
    const rows = await db.query<{ conversation_id: unknown; role: string; content_type: string; content: unknown }>(
      'SELECT conversation_id, role, content_type, content FROM messages ORDER BY conversation_id, created_at, id',
    );
    const roles = new Map<string, string[]>();
    for (const r of rows) {
      const key = String(r.conversation_id);
      roles.set(key, [...(roles.get(key) ?? []), r.role]);
      const content = asJson(r.content) as Record<string, unknown>;
      const ok =
        r.content_type === 'text'
          ? typeof content.text === 'string'
          : typeof (content[r.content_type] as { url?: unknown } | undefined)?.url === 'string' && String((content[r.content_type] as { url: string }).url).startsWith('https://');
      if (!ok) problems.push(`content ${JSON.stringify(content)} does not match ${r.content_type}`);
      if (r.role !== 'user' && r.content_type !== 'text') problems.push(`${r.role} message of type ${r.content_type}`);
    }
    for (const [conversation, sequence] of roles) {
      if (!/^(system,)?(user,assistant,)*(user,)?$/.test(sequence.join(',') + ',')) problems.push(`roles of conversation ${conversation}: ${sequence.join(' ')}`);
    }
    const ips = (await db.query<{ client_ip: string }>('SELECT DISTINCT client_ip FROM api_calls')).map((r) => r.client_ip);
    if (!ips.some((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip)) || !ips.some((ip) => ip.includes(':'))) problems.push(`not both IPv4 and IPv6: ${ips.join(' ')}`);
  } else {
    const files = await db.query<{ run_id: unknown; path: string }>('SELECT run_id, path FROM files');
    const byRun = new Map<string, Set<string>>();
    for (const f of files) byRun.set(String(f.run_id), (byRun.get(String(f.run_id)) ?? new Set()).add(f.path));
    const gallery = await db.query<{ run_id: unknown; file_paths: unknown; tags: unknown }>('SELECT run_id, file_paths, tags FROM gallery');
    for (const g of gallery) {
      const paths = (dialect === 'mysql' ? asJson(g.file_paths) : g.file_paths) as string[];
      const tags = (dialect === 'mysql' ? asJson(g.tags) : g.tags) as string[];
      if (!paths.length || paths.some((p) => !byRun.get(String(g.run_id))?.has(p))) problems.push(`gallery paths ${paths.join(' ')} are not its run's files`);
      if (!tags.length) problems.push('gallery entry without tags');
    }
    const senders = await db.query<{ run_id: unknown; sender: string }>(`SELECT run_id, sender FROM messages ORDER BY run_id, ${quoter(dialect)('timestamp')}, id`);
    const last = new Map<string, string>();
    for (const m of senders) {
      const prev = last.get(String(m.run_id));
      if (prev !== undefined && (prev === 'user') === (m.sender === 'user')) problems.push(`run ${String(m.run_id)}: ${prev} then ${m.sender}`);
      last.set(String(m.run_id), m.sender);
    }
    const globals = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM settings WHERE user_id IS NULL');
    if (Number(globals[0]!.n) < 1) problems.push('no global setting');
  }
  return problems;
}

const TABLES: Record<string, string[]> = {
  agents: ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'],
  chat: ['users', 'conversations', 'messages', 'api_calls'],
};

const VARIANTS: { name: string; fresh: (p: string) => Promise<FreshDatabase>; schema: string; dialect: Dialect; method: string }[] = [
  { name: 'PostgreSQL, agents', fresh: freshPostgres, schema: 'agents', dialect: 'postgres', method: 'copy' },
  { name: 'PostgreSQL, chat', fresh: freshPostgres, schema: 'chat', dialect: 'postgres', method: 'copy' },
  { name: 'MariaDB, chat', fresh: freshMysql, schema: 'chat', dialect: 'mysql', method: 'load-data' },
  { name: 'MariaDB, agents', fresh: freshMysql, schema: 'agents', dialect: 'mysql', method: 'load-data' },
  { name: 'PGlite, agents', fresh: freshPglite, schema: 'agents', dialect: 'postgres', method: 'pglite-copy' },
];

describe.each(VARIANTS)('dbkit seed on $name', ({ fresh, schema, dialect, method }) => {
  it('writes what it reports, consistent, with verifiable hashes, and the same rows again for the same seed', async () => {
    const db = await fresh(`seed_${schema}`);
    cleanups.push(db.drop);
    const base = ['--url', db.url, '--schema', schema];
    expect((await dbkit(['migrate', ...base, '--quiet'])).code).toBe(0);
    const run = await dbkit(['seed', ...base, '--users', String(USERS), '--seed', String(SEED), '--json']);
    expect(run.stderr).toBe(''); // no progress bar without a terminal
    expect(run.code).toBe(0);
    const report = json<SeedReport>(run);
    expect(report).toMatchObject({ dialect, schema, seed: SEED, method });
    expect(Object.keys(report.tables)).toEqual(TABLES[schema]);
    expect(report.rows).toBe(Object.values(report.tables).reduce((a, b) => a + b, 0));
    expect(report.rows / USERS).toBeGreaterThan(200); // about 300 rows a user
    expect(report.rowsPerSecond).toBeGreaterThan(0);

    let admin = await openAdmin(db.url);
    let first: string;
    try {
      for (const t of TABLES[schema]!) {
        const [row] = await admin.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${t}`);
        expect([t, Number(row!.n)]).toEqual([t, report.tables[t]]);
      }
      expect(report.tables.users).toBe(USERS);
      const violations = await ruleViolations(admin, schema, dialect);
      expect(Object.entries(violations).filter(([, n]) => n !== 0)).toEqual([]);
      expect(await codeViolations(admin, schema, dialect)).toEqual([]);

      // Each user's password is random but reproducible from the seed; the stored scrypt hash verifies it.
      const users = await admin.query<{ username: string; password_hash: string }>('SELECT username, password_hash FROM users');
      for (const u of users) {
        const ordinal = Number(/(\d+)$/.exec(u.username)![1]);
        const { password } = seedPassword(SEED, ordinal);
        expect(await verifyPassword(password, u.password_hash)).toBe(true);
        expect(await verifyPassword(`${password}x`, u.password_hash)).toBe(false);
      }
      first = await dumpTables(admin, TABLES[schema]!);
    } finally {
      await admin.close();
    }

    // Same seed again (after --truncate): the same rows, ids included. Another seed: other rows.
    const again = await dbkit(['seed', ...base, '--users', String(USERS), '--seed', String(SEED), '--truncate', '--yes', '--json']);
    expect(again.code).toBe(0);
    admin = await openAdmin(db.url);
    try {
      expect(await dumpTables(admin, TABLES[schema]!)).toBe(first);
    } finally {
      await admin.close();
    }
    expect((await dbkit(['seed', ...base, '--users', String(USERS), '--seed', String(SEED + 1), '--truncate', '--yes'])).code).toBe(0);
    admin = await openAdmin(db.url);
    try {
      expect(await dumpTables(admin, TABLES[schema]!)).not.toBe(first);
    } finally {
      await admin.close();
    }
  }, 120_000);
});
