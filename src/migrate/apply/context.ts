/** What a migration's run carries (execute.ts, retries.ts, decide-at.ts, stopped.ts): the connection, the lock, the bounds, notes, and where it is. */
import type { Knex } from 'knex';
import type { MigrationLimits } from '../../config/online.js';
import type { Connection } from '../../db/connect.js';
import type { Sql } from '../../db/sql.js';
import type { DbSchema } from '../../schema/model.js';
import type { Direction } from '../folder/format.js';
import type { HeldLock } from '../../port/lock.js';
import type { MigrationInterrupt } from './interrupt.js';
import type { OnlineRunner } from './online.js';
import type { LoadedMigration } from '../folder/source.js';
import type { AppliedAs } from './state.js';

export interface Running {
  name: string;
  direction: Direction;
  /** 0-based statement started last. */
  statement: number;
  of: number;
  transactional: boolean;
  /** What the run itself did about a failed statement (an invalid index it left, dropped), for the message. */
  aftermath?: string;
}

export interface ExecutionContext {
  conn: Connection;
  lock: HeldLock;
  owner: string;
  /** The batch of this run (up). */
  batch: number;
  interrupt?: MigrationInterrupt;
  /** Where an earlier, stopped run left a migration (from the progress rows). */
  progress: Map<string, { direction: Direction; step: number }>;
  /** The model before a migration's up ran: its predecessors' operations folded. */
  modelBefore(name: string): DbSchema;
  /** Lines worth telling (a resumed migration, a lock wait retried). */
  note(text: string): void;
  /** Statement and lock bounds (src/config/online.ts). */
  limits: MigrationLimits;
  /** pt-online-schema-change, for a MySQL migration's blocking statements (--online pt-osc). */
  online?: OnlineRunner;
  /** Updated as statements run, for the error that names where a run stopped. */
  running: Running | null;
  /** Told which statements (0-based) of a resumed migration this run did not run: an earlier, stopped run had (checked against the catalog). */
  onSkipped?(name: string, direction: Direction, statements: number[]): void;
  /** Told how long each migration's up took (its statements and bookkeeping, in milliseconds). */
  onTimed?(name: string, ms: number): void;
  /** Called before a migration's up runs anything, on its connection (the data pre-flight's counts that wait for it). */
  beforeUp?(m: LoadedMigration, db: Knex): Promise<void>;
  /** How a migration is recorded when it was applied unusually (out of order, adopted), by name. */
  appliedAs?: ReadonlyMap<string, AppliedAs>;
  /**
   * Migrations to adopt whose predecessors were pending in this run: at their
   * turn, read the catalog on the migration's connection and say whether to
   * record it without running it ('adopt') or run it ('run'); throws when refused.
   */
  adoptAtTurn?: { names: ReadonlySet<string>; check(m: LoadedMigration, sql: Sql): Promise<'adopt' | 'run'> };
  /** Told of a migration adopted at its turn (recorded, not run). */
  onAdopted?(name: string): void;
}

export const statementsOf = (m: LoadedMigration, d: Direction): string[] => (d === 'up' ? m.up : m.down);
