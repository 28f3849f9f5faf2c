/**
 * dbkit diff's own work, phase by phase, in the bench's process with the
 * compiled modules the CLI runs (warm: no start-up, no module loading).
 */
export type Phase = 'connect' | 'introspect' | 'loadState' | 'normalize' | 'diff' | 'render';
export const PHASES: Array<[Phase, string]> = [
  ['connect', 'connect (TCP, auth, current_schema; modules loaded)'],
  ['introspect', 'introspect (7 catalog queries, rows -> model)'],
  ['loadState', 'migration state (migration files + 4 queries)'],
  ['normalize', 'normalize (live + expected)'],
  ['diff', 'diff'],
  ['render', 'JSON.stringify of the --json document'],
];

/** dbkit diff's own work, phase by phase, with the compiled modules the CLI runs. */
export async function inProcessDiff(url: string, cwd: string): Promise<Record<Phase, number>> {
  const { loadConfig } = await import('../src/config/load.js');
  const { openSession } = await import('../src/db/connect.js');
  const { dialectFor } = await import('../src/engines/index.js');
  const { expectedVariant } = await import('../src/migrate/folder/snapshots.js');
  const { loadState } = await import('../src/migrate/apply/runner.js');
  const { normalize } = await import('../src/schema/normalize.js');
  const { diff } = await import('../src/diff/differ.js');
  const { diffJson } = await import('../src/render/diff.js');
  const times = {} as Record<Phase, number>;
  let t = performance.now();
  const lap = (phase: Phase): void => {
    const now = performance.now();
    times[phase] = now - t;
    t = now;
  };
  const config = await loadConfig({ url, schema: 'agents' }, {}, cwd);
  t = performance.now();
  const conn = await openSession(config);
  lap('connect');
  try {
    const raw = await dialectFor('postgres').introspect(conn.sql, conn.namespace);
    lap('introspect');
    await loadState(conn);
    lap('loadState');
    const actual = normalize(raw, dialectFor('postgres').normalizer);
    const expected = normalize(expectedVariant('agents', 'postgres'), dialectFor('postgres').normalizer);
    lap('normalize');
    const changes = diff(actual, expected);
    lap('diff');
    const doc = JSON.stringify({ ...diffJson({ dialect: 'postgres', schema: 'agents', changes }), namespace: conn.namespace }, null, 2);
    if (!doc) throw new Error('empty document');
    lap('render');
    return times;
  } finally {
    await conn.close();
  }
}

