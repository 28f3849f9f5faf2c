/** The engine port's connection area: how sessions, Knex and namespaces are opened on an engine (dialects/<d>/port-connect.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ConnectPort {}
