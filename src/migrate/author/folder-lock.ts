/**
 * The lock `dbkit make` holds on a migrations folder from reading the
 * snapshot to writing the new migration and the sum file: two makes run at
 * once after one edit make the migration once (the second waits, then finds
 * nothing left to make).
 *
 * A lock file, `migrations/.dbkit-make.lock`, created atomically (written
 * aside, then hard-linked into place) with who holds it: pid, host, the
 * machine's boot id and the process's start time (Linux: /proc). A file
 * whose holder is gone is stale and taken over: its process is dead, the
 * machine restarted since, or the pid now belongs to a process that started
 * at another time (a pid is reused, in containers often: the pid alone is
 * not trusted). A holder on another host cannot be checked: it is waited
 * for. Taking over happens under a second, short-lived file (`.break`), so
 * two waiters never both remove a lock and both take it. Waits are bounded
 * (--lock-timeout); then exit 4, saying who holds it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LockError } from '../../shared/errors.js';
import { pidAlive, readText, startTicks } from '../../shared/process.js';
import { shown } from '../folder/folder.js';
import type { Releasable } from '../../port/lock.js';

export const FOLDER_LOCK_FILE = '.dbkit-make.lock';

export interface FolderLockHolder {
  pid: number;
  host: string;
  /** ISO time it was taken. */
  since: string;
  /** /proc/sys/kernel/random/boot_id, or null off Linux. */
  boot: string | null;
  /** The holder process's start time in clock ticks after boot (/proc/<pid>/stat), or null off Linux. */
  start: string | null;
  token: string;
}

/** This machine's boot id (Linux), or null. */
export const bootId = (): string | null => readText('/proc/sys/kernel/random/boot_id')?.trim() || null;

/** A process's start time in clock ticks after boot, or null. */
export const processStart = startTicks;

/** Why a holder is gone (the lock is stale), or null when it may still hold it. */
export function staleReason(h: FolderLockHolder, here = { host: os.hostname(), boot: bootId() }, probe = { alive: pidAlive, processStart }): string | null {
  if (h.host !== here.host) return null;
  if (h.boot && here.boot && h.boot !== here.boot) return 'the machine restarted since';
  if (!probe.alive(h.pid)) return `process ${h.pid} is gone`;
  const start = probe.processStart(h.pid);
  if (h.start && start && h.start !== start) return `pid ${h.pid} is now another process`;
  return null;
}

function parse(text: string | null): FolderLockHolder | null {
  if (!text) return null;
  try {
    const h = JSON.parse(text) as FolderLockHolder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' && typeof h.token === 'string' ? h : null;
  } catch {
    return null;
  }
}

/** Create `file` with `text`, only if it does not exist: true when created. */
function createExclusive(file: string, text: string): boolean {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(aside, text);
  try {
    fs.linkSync(aside, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    // A file system without hard links: O_EXCL (its content shows a moment later).
    try {
      fs.writeFileSync(file, text, { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/** How long a `.break` file may live before it is itself taken as left by a dead process. */
const BREAK_STALE_MS = 10_000;

/** Remove the lock file if it still holds `seen` (stale), under the break file. */
function breakStale(file: string, seen: FolderLockHolder): void {
  const brk = `${file}.break`;
  if (!createExclusive(brk, String(process.pid))) {
    const age = Date.now() - (fs.statSync(brk, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > BREAK_STALE_MS) fs.rmSync(brk, { force: true });
    return;
  }
  try {
    if (parse(readText(file))?.token === seen.token) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(brk, { force: true });
  }
}

const describe = (h: FolderLockHolder): string => `dbkit make, pid ${h.pid} on ${h.host}, since ${h.since}`;

export interface FolderLockOptions {
  timeoutMs: number;
  /** Told once when another make holds it. */
  onWait?(text: string): void;
  /** Told when a stale lock is taken over. */
  onStale?(text: string): void;
}

/** Take the lock of a migrations folder (created if need be); throws LockError (exit 4) when it stays held longer than timeoutMs. */
export async function acquireFolderLock(root: string, opts: FolderLockOptions): Promise<Releasable> {
  fs.mkdirSync(root, { recursive: true });
  const file = path.join(root, FOLDER_LOCK_FILE);
  const me: FolderLockHolder = {
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
    boot: bootId(),
    start: processStart(process.pid),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + opts.timeoutMs;
  let told = false;
  let last: FolderLockHolder | null = null;
  while (!createExclusive(file, `${JSON.stringify(me)}\n`)) {
    const holder = parse(readText(file));
    if (holder) {
      last = holder;
      const stale = staleReason(holder);
      if (stale) {
        opts.onStale?.(`taking over a stale make lock (${describe(holder)}: ${stale})`);
        breakStale(file, holder);
        continue;
      }
      if (!told) opts.onWait?.(`waiting up to ${opts.timeoutMs / 1000}s for another ${describe(holder)} (lock file ${shown(file, root)})`);
      told = true;
    }
    if (Date.now() >= deadline) {
      throw new LockError(
        `another dbkit make is writing migrations in ${shown(root, root)}${last ? ` (${describe(last)})` : ''}; gave up after ${opts.timeoutMs / 1000}s (--lock-timeout). ` +
          `If no make runs there any more, delete ${shown(file, root)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async release() {
      if (parse(readText(file))?.token === me.token) fs.rmSync(file, { force: true });
    },
  };
}
