/** Renderers of `dbkit seed` results and progress (pure). */
import { Chalk } from 'chalk';

export interface SeedReport {
  dialect: string;
  engine: string;
  schema: string;
  namespace: string;
  url: string;
  seed: number;
  users: number;
  /** The number of the first user this run added (usernames end with it): 1, or after the existing users with --append. */
  firstUser: number;
  mode: 'fresh' | 'truncate' | 'append';
  /** How rows went in: copy, load-data, insert, pglite-copy. */
  method: string;
  /** `checked per row` (the engine's own checks) or `checked after load` (suspended, then one set-based check). */
  foreignKeys: string;
  tables: Record<string, number>;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Tables of the schema that were not seeded (no generator could fill them), and why. */
  skipped: { table: string; reason: string }[];
}

/** 1234567 -> `1,234,567` (no Intl: its first use costs ~30 ms of start-up). */
export const num = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function renderSeed(r: SeedReport, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const width = Math.max(...Object.keys(r.tables).map((t) => t.length));
  const verb = r.mode === 'append' ? 'appended' : 'seeded';
  return [
    `${r.schema} on ${r.url}: ${verb} ${num(r.rows)} rows for ${num(r.users)} users in ${r.seconds.toFixed(2)} s ` +
      `(${num(r.rowsPerSecond)} rows/s, ${r.method}, foreign keys ${r.foreignKeys}); seed ${r.seed}`,
    ...Object.entries(r.tables).map(([t, n]) => `  ${c.green('+')} ${t.padEnd(width)}  ${num(n).padStart(9)}`),
    ...r.skipped.map((s) => `  ${c.yellow('-')} ${s.table}: not seeded (${s.reason})`),
    c.dim(`  same data again: dbkit seed --seed ${r.seed} --users ${r.users} --truncate`),
  ].join('\n');
}

/** One line of the progress bar: `[#######.....]  120/400 users  36,120 rows  48,200 rows/s`. */
export function progressLine(usersDone: number, users: number, rows: number, seconds: number, width = 24): string {
  const filled = users ? Math.round((usersDone / users) * width) : width;
  const rate = seconds > 0 ? Math.round(rows / seconds) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${num(usersDone)}/${num(users)} users  ${num(rows)} rows  ${num(rate)} rows/s`;
}
