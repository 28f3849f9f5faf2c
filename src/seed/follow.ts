/**
 * Runs a generator against the seed layout (src/seed/layout.ts): a generator's
 * rows are reshaped to the table's loaded columns (dropped columns left
 * out, values adapted to what their column became, unknown ones filled by
 * src/seed/fill.ts), its table names followed to their current ones, rows
 * that reference other tables through filled references wait until the
 * user (or the rows no user owns) are complete, and tables no generator
 * knows get generic rows. Where the layout changes nothing (the definition
 * the generator was written for), a row goes straight to its table's
 * encoder.
 */
import { ROW_FLAVORS } from '../engines/row-formats.js';
import type { TableRows } from './encode.js';
import { adapterFor, fillerFor, type Adapter, type Filler } from './fill.js';
import type { IdsByTable } from './ledger.js';
import type { LayoutTable, SeedLayout } from './layout.js';
import { Rng } from '../fake/random.js';
import type { GeneratorContext, Id, IdValue, Row, Scope } from '../fake/types.js';

/** Generic rows of a table no generator knows: per user (around this many), and rows no user owns (this many). */
export const GENERIC_PER_USER = 2;
export const GENERIC_SHARED = 5;

/** How a loaded column gets its value: from the generator (maybe adapted), filled, or picked among rows of another table. */
type Source = { from: number; adapt?: Adapter } | { fill: Filler } | { ref: string; nullable: boolean; unique: boolean; self: boolean } | { id: true };

interface TableRuntime {
  layout: LayoutTable;
  /** Its place in the layout (parents first). */
  index: number;
  sources: Source[];
  /** Position of the id column in loaded rows (-1: none). */
  idAt: number;
  /** Loaded as the generator wrote it. */
  direct: boolean;
}

const idValue = (id: unknown): IdValue => (typeof id === 'number' ? id : String(id as Id));

/** What one scope (a user, or the rows no user owns) has emitted so far. */
class ScopeState {
  /** Ids of tracked tables' rows, per table. */
  readonly ids = new Map<string, unknown[]>();
  readonly deferred: [TableRuntime, Row][] = [];
  /** Rows already pointed at by a unique reference, per `table.column`. */
  readonly used = new Map<string, Set<unknown>>();
  private readonly counters = new Map<string, number>();
  constructor(
    /** Whose rows these are, in words: `user 12`, `the rows no user owns`. */
    readonly whose: string,
    readonly rng: Rng,
    /** The unique part of a row's values: the user's number, or `s` + the run's first user number. */
    readonly tagBase: string,
    readonly tagNumberBase: number,
  ) {}
  next(table: string): number {
    const k = (this.counters.get(table) ?? 0) + 1;
    this.counters.set(table, k);
    return k;
  }
}

const push = (into: Map<string, unknown[]>, table: string, id: unknown) => {
  const list = into.get(table);
  if (list) list.push(id);
  else into.set(table, [id]);
};

/** A key that points at nothing (a NOT NULL reference column without a foreign key whose name names no table). */
const randomKey =
  (dialect: GeneratorContext['dialect']): Filler =>
  (r) =>
    ROW_FLAVORS[dialect].keys === 'uuid' ? r.uuid() : r.int(1, 2_147_483_647);

export class SchemaFollower {
  private readonly runtimes = new Map<string, TableRuntime>();
  /** The same runtimes, by the generator's table names (before renames). */
  private readonly bySource = new Map<string, TableRuntime>();
  /** Ids of tracked tables' rows no user owns (written with the first chunk), for later picks. */
  private readonly sharedIds = new Map<string, unknown[]>();
  /** Rows no user owns already pointed at by a unique reference (across users). */
  private readonly sharedUsed = new Map<string, Set<unknown>>();

  constructor(
    layout: SeedLayout,
    private readonly ctx: GeneratorContext,
    private readonly newId: (table: string, rng: Rng) => Id,
    private readonly firstOrdinal: number,
  ) {
    layout.tables.forEach((t, index) => {
      const sources: Source[] = t.columns.map((c, k) => {
        if (t.from ? t.from[k]! >= 0 : t.source !== undefined) {
          const from = t.from ? t.from[k]! : k;
          return c.adapt ? { from, adapt: adapterFor(c, c.adapt, ctx.pools, ctx.refTime) } : { from };
        }
        if (c.type.kind === 'id') return { id: true };
        if (c.ref && !c.detached) return { ref: c.ref, nullable: c.nullable, unique: c.unique, self: c.ref === t.name };
        if (c.type.kind === 'ref') return { fill: c.randomKey ? randomKey(ctx.dialect) : () => null };
        return { fill: fillerFor(c, ctx.pools, ctx.refTime) };
      });
      const direct = !t.from && t.source !== undefined && !t.tracked;
      const rt: TableRuntime = { layout: t, index, sources, idAt: t.columns.findIndex((c) => c.type.kind === 'id'), direct };
      this.runtimes.set(t.name, rt);
      if (t.source) this.bySource.set(t.source, rt);
    });
  }

  /**
   * A scope that writes into one chunk's tables. `keep` receives the ids of
   * rows a failed run must delete by key (null: none of this scope's).
   * Call finish() once the generator has emitted the scope's rows.
   */
  open(base: Scope, out: Map<string, TableRows>, keep: IdsByTable | null, who: { ordinal: number } | { shared: true }): { scope: Scope; finish(): void } {
    const shared = 'shared' in who;
    const rng = shared ? Rng.of(this.ctx.seed, 'schema-shared', this.firstOrdinal) : Rng.of(this.ctx.seed, 'schema', who.ordinal);
    const state = shared
      ? new ScopeState('the rows no user owns', rng, `s${this.firstOrdinal.toString(36)}`, this.firstOrdinal * 10_000 + 9000)
      : new ScopeState(`user ${who.ordinal}`, rng, who.ordinal.toString(36), who.ordinal * 10_000);
    const write = (rt: TableRuntime, row: Row) => {
      out.get(rt.layout.name)!.write(row);
      if (keep && (shared || rt.layout.record)) (keep[rt.layout.name] ??= []).push(idValue(row[rt.idAt]));
    };
    const track = (rt: TableRuntime, row: Row) => {
      if (rt.layout.tracked) push(shared ? this.sharedIds : state.ids, rt.layout.name, row[rt.idAt]);
    };
    /** A loaded row: written now, or (when it references other tables) once the scope is complete. */
    const place = (rt: TableRuntime, row: Row) => {
      if (rt.layout.defer) return void state.deferred.push([rt, row]);
      track(rt, row);
      write(rt, row);
    };
    /** A loaded row from the sources: the generator's values, filled ones (each row numbered within its table), ids, references to pick. */
    const loaded = (rt: TableRuntime, row: Row | null): Row => {
      const k = state.next(rt.layout.name);
      const tag = `${state.tagBase}.${k.toString(36)}`;
      return rt.sources.map((s) =>
        'from' in s
          ? s.adapt
            ? s.adapt(row![s.from], state.rng, tag, state.tagNumberBase + k)
            : row![s.from]
          : 'fill' in s
            ? s.fill(state.rng, tag, state.tagNumberBase + k)
            : 'id' in s
              ? this.newId(rt.layout.name, state.rng)
              : undefined,
      );
    };
    const emit = (table: string, row: Row) => {
      const rt = this.bySource.get(table);
      if (!rt) return; // a table the definition no longer has
      if (rt.direct) return write(rt, row);
      place(rt, loaded(rt, row));
    };
    return {
      scope: { ...base, emit },
      finish: () => {
        for (const rt of this.runtimes.values()) {
          if (rt.layout.generic !== (shared ? 'shared' : 'user')) continue;
          const n = shared ? GENERIC_SHARED : state.rng.around(GENERIC_PER_USER);
          for (let i = 0; i < n; i++) place(rt, loaded(rt, null));
        }
        // Parents first: a row's references are picked among rows already placed.
        const waiting = state.deferred.splice(0).sort((a, b) => a[0].index - b[0].index);
        for (const [rt, row] of waiting) {
          if (this.pick(rt, row, state, shared)) {
            track(rt, row);
            write(rt, row);
          } else if (rt.layout.referenced) {
            // Leaving the row out would leave rows that point at it dangling.
            const wanted = rt.sources.flatMap((s) => ('ref' in s && !s.nullable ? [s.ref] : [])).join(' or ');
            throw new Error(`seed: ${state.whose}: no ${wanted} row for a ${rt.layout.name} row to point at; raise that table's per-user count in the config file`);
          }
          // else: a row nothing points at and that cannot be attached is left out
        }
      },
    };
  }

  /** Fill a row's foreign keys from the scope's rows (else the rows no user owns); false when a NOT NULL one finds none. */
  private pick(rt: TableRuntime, row: Row, state: ScopeState, shared: boolean): boolean {
    for (const [k, s] of rt.sources.entries()) {
      if (!('ref' in s)) continue;
      // The scope's own rows (for the rows no user owns, those are the shared ones), else the rows no user owns.
      const own = (shared ? this.sharedIds : state.ids).get(s.ref) ?? [];
      // A NOT NULL reference to its own table with no earlier row to point at: the row points at itself.
      if (s.self && !s.nullable && !own.length) {
        row[k] = row[rt.idAt];
        continue;
      }
      const fromShared = shared || (!own.length && !s.self);
      let candidates = fromShared ? (this.sharedIds.get(s.ref) ?? []) : own;
      let used: Set<unknown> | undefined;
      if (s.unique) {
        // At most one row per referenced row.
        const key = `${rt.layout.name}.${k}`;
        const usedMap = fromShared || shared ? this.sharedUsed : state.used;
        used = usedMap.get(key) ?? usedMap.set(key, new Set()).get(key)!;
        candidates = candidates.filter((id) => !used!.has(id));
      }
      if (!candidates.length || (s.nullable && state.rng.chance(0.1))) {
        if (!s.nullable) return false;
        row[k] = null;
        continue;
      }
      row[k] = state.rng.pick(candidates);
      used?.add(row[k]);
    }
    return true;
  }
}
