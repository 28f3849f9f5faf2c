/**
 * PGlite is one process's database: a lock file beside its data directory
 * keeps a second dbkit process out while one has it open. A lock file whose
 * process is gone is taken over.
 */
import fs from 'node:fs';

export interface HeldLock {
  release(): Promise<void>;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function tryTake(file: string): boolean {
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const pid = Number(fs.readFileSync(file, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) return false;
  fs.rmSync(file, { force: true }); // stale: its process is gone
  return false;
}

export async function acquireFileLock(file: string, timeoutMs: number): Promise<HeldLock | null> {
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
