/**
 * The roles of the password property test (test/integration/password-property.test.ts)
 * on the suite's PostgreSQL and MariaDB servers: an owner whose password stays
 * NEUTRAL, one role per concurrent lane, one for the init test, a role whose
 * password is always wrong, and databases for the scenarios.
 */
import { mysqlAdminUrl, openAdmin, pgAdminUrl, uniqueName, type AdminConnection } from './databases.js';
import { urlWith, type UrlBase } from './passwords.js';
import { freePort } from './servers.js';

/** The password of the neutral runs (the twin every run's output is compared with). */
export const NEUTRAL = 'Neutral-pw-4242';
/** The password of the role whose password is always wrong. */
export const WRONG_ROLE_PASSWORD = 'Fixed-wrong-role-pw-7';

/** Concurrent in-process runs per engine, each on a role of its own (a role's password is the one its runs need). */
export const LANES = 3;

export interface Fixture {
  engine: 'postgres' | 'mysql';
  admin: AdminConnection;
  base: (database: string) => UrlBase;
  /** Owns the databases; its password stays NEUTRAL: the neutral runs use it. */
  owner: string;
  /** One role per lane, with the owner's rights. */
  lanes: string[];
  /** One more such role, for the init test (which sets its password while the lanes run). */
  initRole: string;
  wrongRole: string;
  db: string;
  dryDb: string;
  brokenDb: string;
  closedPort: number;
  setPassword(role: string, password: string): Promise<void>;
  /** A role named `name` with password `password` and the owner's rights. */
  addRole(name: string, password: string): Promise<void>;
  dropRole(name: string): Promise<void>;
  teardown(): Promise<void>;
}

const pgLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;
const pgIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const myIdent = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/** One admin connection, its statements one at a time (the lanes ask concurrently; a driver connection runs one query at once). */
async function serialAdmin(url: string): Promise<AdminConnection> {
  const conn = await openAdmin(url);
  let chain: Promise<unknown> = Promise.resolve();
  return {
    query: (sql, params) => {
      const next = chain.then(() => conn.query(sql, params));
      chain = next.catch(() => undefined);
      return next;
    },
    close: () => conn.close(),
  } as AdminConnection;
}

/** The names every fixture carries, and a port nothing listens on. */
async function names(owner: string, lanes: string[], initRole: string, wrongRole: string, [db, dryDb, brokenDb]: [string, string, string]) {
  return { owner, lanes, initRole, wrongRole, db, dryDb, brokenDb, closedPort: await freePort() };
}

export async function pgFixture(): Promise<Fixture> {
  const adminUrl = pgAdminUrl();
  const admin = await serialAdmin(adminUrl);
  // The roles' SCRAM verifiers with one iteration instead of 4,096: each of the
  // thousands of logins below costs a fork, not a key derivation (PostgreSQL 16+;
  // older servers keep their default, only slower).
  await admin.query('SET scram_iterations = 1').catch(() => undefined);
  const u = new URL(adminUrl);
  const tag = uniqueName('pw').slice(0, 40);
  const role = `${tag}_owner`;
  const wrongRole = `${tag}_wrong`;
  const lanes = Array.from({ length: LANES }, (_, i) => `${tag}_lane${i}`);
  const initRole = `${tag}_init`;
  const [db, dryDb, brokenDb] = ['db', 'dry', 'broken'].map((s) => `${tag}_${s}`) as [string, string, string];
  await admin.query(`CREATE ROLE ${pgIdent(role)} LOGIN PASSWORD ${pgLiteral(NEUTRAL)}`);
  await admin.query(`CREATE ROLE ${pgIdent(wrongRole)} LOGIN PASSWORD ${pgLiteral(WRONG_ROLE_PASSWORD)}`);
  for (const lane of [...lanes, initRole]) await admin.query(`CREATE ROLE ${pgIdent(lane)} LOGIN PASSWORD ${pgLiteral(NEUTRAL)} IN ROLE ${pgIdent(role)}`);
  for (const d of [db, dryDb, brokenDb]) await admin.query(`CREATE DATABASE ${pgIdent(d)} OWNER ${pgIdent(role)}`);
  const base = (database: string): UrlBase => ({ scheme: 'postgres', host: u.hostname, port: Number(u.port), database });
  const asRole = await openAdmin(urlWith(base(brokenDb), role, NEUTRAL, false));
  await asRole.query('CREATE TABLE dbkit_migrations (x integer)'); // dbkit's table, but not its shape: an SQL error
  await asRole.close();
  return {
    engine: 'postgres',
    admin,
    base,
    ...(await names(role, lanes, initRole, wrongRole, [db, dryDb, brokenDb])),
    setPassword: async (r, p) => void (await admin.query(`ALTER ROLE ${pgIdent(r)} PASSWORD ${pgLiteral(p)}`)),
    addRole: async (name, p) => void (await admin.query(`CREATE ROLE ${pgIdent(name)} LOGIN PASSWORD ${pgLiteral(p)} IN ROLE ${pgIdent(role)}`)),
    dropRole: async (name) => void (await admin.query(`DROP ROLE IF EXISTS ${pgIdent(name)}`)),
    async teardown() {
      for (const d of [db, dryDb, brokenDb]) await admin.query(`DROP DATABASE IF EXISTS ${pgIdent(d)} WITH (FORCE)`);
      for (const r of [...lanes, initRole, role, wrongRole]) await admin.query(`DROP ROLE IF EXISTS ${pgIdent(r)}`);
      await admin.close();
    },
  };
}

export async function mysqlFixture(): Promise<Fixture> {
  const adminUrl = mysqlAdminUrl();
  const admin = await serialAdmin(adminUrl);
  const u = new URL(adminUrl);
  const tag = uniqueName('pw').slice(0, 24);
  const role = `${tag}_r`;
  const wrongRole = `${tag}_w`;
  const lanes = Array.from({ length: LANES }, (_, i) => `${tag}_l${i}`);
  const initRole = `${tag}_i`;
  const [db, dryDb, brokenDb] = ['db', 'dry', 'broken'].map((s) => `${tag}_${s}`) as [string, string, string];
  const grant = async (name: string) => {
    for (const d of [db, dryDb, brokenDb]) await admin.query(`GRANT ALL PRIVILEGES ON ${myIdent(d)}.* TO ?@'%'`, [name]);
  };
  for (const d of [db, dryDb, brokenDb]) await admin.query(`CREATE DATABASE ${myIdent(d)}`);
  await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [role, NEUTRAL]);
  await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [wrongRole, WRONG_ROLE_PASSWORD]);
  await grant(role);
  for (const lane of [...lanes, initRole]) {
    await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [lane, NEUTRAL]);
    await grant(lane);
  }
  await admin.query(`CREATE TABLE ${myIdent(brokenDb)}.dbkit_migrations (x integer)`);
  return {
    engine: 'mysql',
    admin,
    base: (database) => ({ scheme: 'mysql', host: u.hostname, port: Number(u.port), database }),
    ...(await names(role, lanes, initRole, wrongRole, [db, dryDb, brokenDb])),
    setPassword: async (r, p) => void (await admin.query(`ALTER USER ?@'%' IDENTIFIED BY ?`, [r, p])),
    addRole: async (name, p) => {
      await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [name, p]);
      await grant(name);
    },
    dropRole: async (name) => void (await admin.query(`DROP USER IF EXISTS ?@'%'`, [name])),
    async teardown() {
      for (const d of [db, dryDb, brokenDb]) await admin.query(`DROP DATABASE IF EXISTS ${myIdent(d)}`);
      for (const r of [...lanes, initRole, role, wrongRole]) await admin.query(`DROP USER IF EXISTS ?@'%'`, [r]);
      await admin.close();
    },
  };
}
