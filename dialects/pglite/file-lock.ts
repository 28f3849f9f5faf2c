/**
 * PGlite is one process's database: a lock file beside its data directory
 * keeps a second dbkit process out while one has it open. A lock file whose
 * process is gone is taken over.
 */
import fs from 'node:fs';
import type { Releasable } from '../../src/migrate/held-lock.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Create the lock file with our pid in it, atomically: written aside, then hard-linked into place. */
function tryTake(file: string): boolean {
  const mine = `${file}.${process.pid}`;
  fs.writeFileSync(mine, String(process.pid));
  try {
    fs.linkSync(mine, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(mine, { force: true });
  }
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return false; // released meanwhile: try again
  }
  // Stale: its process is gone, or it is ours from before a restart (pids come back in containers).
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return false;
  fs.rmSync(file, { force: true });
  return false;
}

/** The pid written in a lock file, if it holds one. */
export function fileLockHolder(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export async function acquireFileLock(file: string, timeoutMs: number): Promise<Releasable | null> {
  const deadline = Date.now() + timeoutMs;
  while (!tryTake(file)) {
    if (Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async release() {
      fs.rmSync(file, { force: true });
    },
  };
}
