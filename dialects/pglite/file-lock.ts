/**
 * PGlite is one process's database: a lock file beside its data directory
 * keeps a second dbkit process out while one has it open. The file holds the
 * holder's pid first (as every dbkit version wrote it) and, on Linux, the
 * holder's start time (clock ticks after boot, /proc/<pid>/stat field 22).
 * A lock whose holder is gone is taken over, and so is one whose pid now
 * belongs to another process (pids come back after a crash or a reboot, and
 * in containers):
 * - with a start time: the process with that pid is the holder only when
 *   its start time is exactly the recorded one;
 * - a file of an older dbkit (the pid alone): on Linux the process must have
 *   started before the file was written (/proc/<pid>/stat against the
 *   file's time) and be a Node.js process running dbkit (/proc/<pid>/cmdline);
 *   elsewhere a live pid counts as the holder.
 * Older dbkit versions read the file as `Number(text.trim())` and take over a
 * lock whose text is not a number: so the start time is written in
 * whitespace that trim() removes (after a newline, each digit d as the
 * character U+2000 + d: EN QUAD for 0 ... THIN SPACE for 9), and an older
 * dbkit still reads the pid alone and waits for a live holder.
 * Something else at the lock path (a directory) is an error saying so.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Releasable } from '../../src/port/lock.js';
import { pidAlive, readText, startTicks } from '../../src/shared/process.js';

/** Not a lock file dbkit can use: something else is at its path. */
export class LockPathError extends Error {}



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

export { startTicks };

/** The first of ten whitespace characters standing for the digits 0-9 (U+2000 EN QUAD ... U+2009 THIN SPACE): all removed by trim(). */
const DIGIT_ZERO = 0x2000;
const encodeDigits = (digits: string): string => [...digits].map((d) => String.fromCharCode(DIGIT_ZERO + Number(d))).join('');
const START = /\n([\u2000-\u2009]+)\s*$/;

/** The text of a lock file: the pid, then (on Linux) its start time as whitespace an older dbkit's `Number(text.trim())` skips. */
export function lockFileText(pid: number, start: string | null = startTicks(pid)): string {
  return start ? `${pid}\n${encodeDigits(start)}` : String(pid);
}

/** A lock file's pid and, when recorded, its holder's start time (null in an older dbkit's file). */
export function parseLockFile(text: string): { pid: number; start: string | null } | null {
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const m = START.exec(text);
  return { pid, start: m ? [...m[1]!].map((c) => String(c.charCodeAt(0) - DIGIT_ZERO)).join('') : null };
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
 * Whether the lock file's pid is the dbkit process that wrote it: alive and,
 * with a recorded start time, started exactly then; in an older dbkit's file
 * (no start time), not started after the file was written, and running
 * Node.js or dbkit.
 */
export function holdsLock(pid: number, writtenAt: number, start: string | null = null): boolean {
  if (!pidAlive(pid)) return false;
  if (start !== null) {
    const now = startTicks(pid);
    return now === null || now === start;
  }
  if (os.platform() !== 'linux') return true;
  const started = processStart(pid);
  if (started !== null && started > writtenAt + CLOCK_SLACK_MS) return false;
  return runsDbkit(pid) !== false;
}

/** The lock path's state: free, held by a pid (with the file's time), or something else is there. */
function inspect(file: string): { pid: number; start: string | null; writtenAt: number } | 'gone' | 'stale' {
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
  const parsed = parseLockFile(text);
  return parsed ? { ...parsed, writtenAt: stat.mtimeMs } : 'stale';
}

/**
 * Create the lock file with our pid in it, atomically: written aside, then
 * hard-linked into place. `held`: another live dbkit has it; `again`: it was
 * released meanwhile, or stale and removed.
 */
function tryTake(file: string): 'taken' | 'held' | 'again' {
  const mine = `${file}.${process.pid}`;
  fs.writeFileSync(mine, lockFileText(process.pid));
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
  if (now !== 'stale' && now.pid !== process.pid && holdsLock(now.pid, now.writtenAt, now.start)) return 'held';
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
