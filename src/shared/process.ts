/**
 * Other processes as /proc and signals show them (the lock files' holders:
 * dialects/pglite/file-lock.ts, src/migrate/author/folder-lock.ts).
 */
import fs from 'node:fs';

/** A small file's text, or null when it cannot be read. */
export const readText = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** Whether process `pid` exists (one of another user's answers EPERM: it exists). */
export const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A process's start time in clock ticks after boot (field 22 of /proc/<pid>/stat, exact), or null off Linux or when it is gone. */
export function startTicks(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The command name (field 2) is in parentheses and may hold spaces: count from after its closing one.
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return ticks && /^\d+$/.test(ticks) ? ticks : null;
}
