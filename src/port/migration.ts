/** The engine port's migration area: locks, bookkeeping SQL, statement bounds, running work, online changes, data checks (dialects/<d>/port-migration.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MigrationPort {}
