/**
 * PGlite is one process's database: a lock file beside its data directory
 * keeps a second dbkit process out while one has it open. The file holds the
 * holder's pid (as every dbkit version wrote it). A lock whose holder is gone
 * is taken over, and so is one whose pid now belongs to another process
 * (pids come back after a crash or a reboot, and in containers): on Linux the
 * process with that pid must have started before the lock file was written
 * (/proc/<pid>/stat against the file's time) and be a Node.js process running
 * dbkit (/proc/<pid>/cmdline); elsewhere a live pid counts as the holder.
 * Something else at the lock path (a directory) is an error saying so.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Releasable } from '../../src/migrate/held-lock.js';

/** Not a lock file dbkit can use: something else is at its path. */
export class LockPathError extends Error {}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readText = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** When the system booted (seconds since the epoch), from /proc/stat; null when unknown. */
function bootTime(): number | null {
  const m = /^btime (\d+)$/m.exec(readText('/proc/stat') ?? '');
  return m ? Number(m[1]) : null;
}

/** Clock ticks per second of /proc/<pid>/stat's start time (USER_HZ: 100 on every Linux architecture dbkit runs on). */
const USER_HZ = 100;

/** When process `pid` started (milliseconds since the epoch), from /proc; null when unknown. */
export function processStart(pid: number): number | null {
  const stat = readText(`/proc/${pid}/stat`);
  const boot = bootTime();
  if (!stat || boot === null) return null;
  // Field 22 (starttime), counted after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? boot * 1000 + (ticks / USER_HZ) * 1000 : null;
}

/** Whether the process is a Node.js process running dbkit, by its command line; null when unreadable. */
function runsDbkit(pid: number): boolean | null {
  const cmdline = readText(`/proc/${pid}/cmdline`);
  if (cmdline === null || cmdline === '') return null;
  const args = cmdline.split('\0').filter(Boolean);
  const node = /node|nodejs/i.test(args[0]?.split('/').pop() ?? '');
  return node || args.some((a) => /dbkit/i.test(a));
}

/** Leeway between the clocks of /proc's start time (boot time in whole seconds) and the file's time. */
const CLOCK_SLACK_MS = 2_000;

/**
 * Whether the lock file's pid is the dbkit process that wrote it: alive, not
 * started after the file was written, and running Node.js or dbkit.
 */
export function holdsLock(pid: number, writtenAt: number): boolean {
  if (!alive(pid)) return false;
  if (os.platform() !== 'linux') return true;
  const started = processStart(pid);
  if (started !== null && started > writtenAt + CLOCK_SLACK_MS) return false;
  return runsDbkit(pid) !== false;
}

/** The lock path's state: free, held by a pid (with the file's time), or something else is there. */
function inspect(file: string): { pid: number; writtenAt: number } | 'gone' | 'stale' {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return 'gone';
  }
  if (!stat.isFile()) {
    throw new LockPathError(
      `${file} is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}, where the embedded database keeps its lock file: remove or rename it (dbkit never deletes what it did not write)`,
    );
  }
  const text = readText(file);
  if (text === null) return 'gone';
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? { pid, writtenAt: stat.mtimeMs } : 'stale';
}

/**
 * Create the lock file with our pid in it, atomically: written aside, then
 * hard-linked into place. `held`: another live dbkit has it; `again`: it was
 * released meanwhile, or stale and removed.
 */
function tryTake(file: string): 'taken' | 'held' | 'again' {
  const mine = `${file}.${process.pid}`;
  fs.writeFileSync(mine, String(process.pid));
  try {
    fs.linkSync(mine, file);
    return 'taken';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(mine, { force: true });
  }
  const now = inspect(file);
  if (now === 'gone') return 'again'; // released meanwhile
  // Stale: its process is gone or is another one now, or it is ours from before a restart.
  if (now !== 'stale' && now.pid !== process.pid && holdsLock(now.pid, now.writtenAt)) return 'held';
  fs.rmSync(file, { force: true });
  return 'again';
}

/** The pid written in a lock file, if it holds one. */
export function fileLockHolder(file: string): number | null {
  try {
    const now = inspect(file);
    return typeof now === 'object' ? now.pid : null;
  } catch {
    return null;
  }
}

export async function acquireFileLock(file: string, timeoutMs: number): Promise<Releasable | null> {
  const deadline = Date.now() + timeoutMs;
  // A stale lock removed (or one released meanwhile) is tried again at once, a few times, even with --lock-timeout 0.
  for (let quick = 0; ; ) {
    const got = tryTake(file);
    if (got === 'taken') break;
    if (got === 'again' && quick++ < 5) continue;
    if (Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async release() {
      fs.rmSync(file, { force: true });
    },
  };
}
