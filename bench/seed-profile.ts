/**
 * Where the time of a bench/seed method goes: CPU seconds of the client (a
 * child process: its rusage as the parent sees it in /proc/self/stat once it
 * was reaped; in-process: process.cpuUsage), CPU seconds of the database
 * server (every process of it, from /proc), and what the server wrote and
 * synced (PostgreSQL: pg_stat_wal; MariaDB: InnoDB's status counters).
 * Sampled before and after each timed method; Linux only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { driverSql, type ClosableSql } from '../src/db/sql.js';
import type { Dialect } from '../src/schema/model.js';
import { median } from './stats.js';

const TICK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Fields after the command name of /proc/<pid>/stat (the name may hold spaces and parentheses). */
function statFields(pid: number | 'self'): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

// Field numbers of proc(5), minus 3 (pid, comm and state come first; state is fields[0]).
const PPID = 1;
const UTIME = 11;
const STIME = 12;
const CUTIME = 13;
const CSTIME = 14;

/** CPU seconds of this process's children that have been reaped. */
export function childrenCpu(): number {
  const f = statFields('self')!;
  return (Number(f[CUTIME]) + Number(f[CSTIME])) / TICK;
}

/** CPU seconds of a process tree: the root (its reaped children included) plus its live children. */
function treeCpu(root: number): number {
  const f = statFields(root);
  if (!f) return Number.NaN;
  let ticks = Number(f[UTIME]) + Number(f[STIME]) + Number(f[CUTIME]) + Number(f[CSTIME]);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const c = statFields(Number(name));
    if (c && Number(c[PPID]) === root) ticks += Number(c[UTIME]) + Number(c[STIME]);
  }
  return ticks / TICK;
}

export interface ServerSample {
  cpu: number;
  /** PostgreSQL: WAL records, bytes, full-page images, writes and syncs; MariaDB: redo log and data file syncs, redo bytes. */
  counters: Record<string, number>;
}

export interface ServerProbe {
  sample(): Promise<ServerSample>;
  close(): Promise<void>;
}

/** A probe of the server behind an admin URL (this machine's: its pid comes from its pid file). */
export async function serverProbe(dialect: Dialect, adminUrl: string): Promise<ServerProbe> {
  const sql: ClosableSql = await driverSql(dialect === 'postgres' ? 'postgres' : 'mysql', adminUrl, undefined, () => undefined);
  let pid: number;
  if (dialect === 'postgres') {
    const [row] = await sql.query<{ dir: string }>('SELECT current_setting(?) AS dir', ['data_directory']);
    pid = Number(readFileSync(`${row!.dir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } else {
    const [row] = await sql.query<{ file: string }>('SELECT @@pid_file AS file');
    pid = Number(readFileSync(row!.file, 'utf8').trim());
  }
  const counters = async (): Promise<Record<string, number>> => {
    if (dialect === 'postgres') {
      const [w] = await sql.query<Record<string, string>>('SELECT wal_records, wal_fpi, wal_bytes, wal_write, wal_sync FROM pg_stat_wal');
      return Object.fromEntries(Object.entries(w ?? {}).map(([k, v]) => [k, Number(v)]));
    }
    const rows = await sql.query<{ Variable_name: string; Value: string }>(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_os_log_fsyncs', 'Innodb_data_fsyncs', 'Innodb_os_log_written', 'Innodb_data_written')",
    );
    return Object.fromEntries(rows.map((r) => [r.Variable_name.replace(/^Innodb_/, '').toLowerCase(), Number(r.Value)]));
  };
  /** PostgreSQL: wait until the method's sessions are gone, so that their CPU time is in the postmaster's children's total. */
  const settle = async () => {
    if (dialect !== 'postgres') return;
    for (let i = 0; i < 100; i++) {
      const [row] = await sql.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
      if (Number(row!.n) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 50)); // and reaped
  };
  return {
    sample: async () => {
      await settle();
      return { cpu: treeCpu(pid), counters: await counters() };
    },
    close: () => sql.close(),
  };
}

/** One method's run: wall and CPU seconds, and the server's counters over it. */
export interface Profile {
  wall: number;
  client: number;
  server: number;
  counters: Record<string, number>;
}

/** Run `fn` between two samples; `client` says how to read the client's CPU (a reaped child, or this process). */
export async function profiled(probe: ServerProbe, client: 'child' | 'self', fn: () => Promise<number>): Promise<Profile> {
  const before = await probe.sample();
  const cpu0 = client === 'child' ? childrenCpu() : process.cpuUsage();
  const wall = await fn();
  const clientCpu = client === 'child' ? childrenCpu() - (cpu0 as number) : ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpu0 as NodeJS.CpuUsage));
  const after = await probe.sample();
  const counters = Object.fromEntries(Object.keys(after.counters).map((k) => [k, after.counters[k]! - (before.counters[k] ?? 0)]));
  return { wall, client: clientCpu, server: after.cpu - before.cpu, counters };
}


/** The median of each figure over runs, as one line. */
export function describeProfiles(runs: Profile[]): string {
  const m = (f: (p: Profile) => number) => median(runs.map(f));
  const keys = Object.keys(runs[0]?.counters ?? {});
  const human = (k: string, v: number) => (/bytes|written/.test(k) ? `${k} ${(v / 1048576).toFixed(0)} MB` : `${k} ${Math.round(v).toLocaleString('en-US')}`);
  return `wall ${m((p) => p.wall).toFixed(2)} s, client CPU ${m((p) => p.client).toFixed(2)} s, server CPU ${m((p) => p.server).toFixed(2)} s; ${keys.map((k) => human(k, m((p) => p.counters[k]!))).join(', ')}`;
}
