import { agents } from './agents.js';
import { chat } from './chat.js';
import type { SchemaDef } from './definition.js';
import type { Dialect } from './model.js';

export const schemas: Record<string, SchemaDef> = { agents, chat };
export const schemaNames = Object.keys(schemas);

/** The schema a dialect uses when none is named: the one whose document was written for it. */
/** The schema a dialect gets when none is named (the agents platform was PostgreSQL's first, chat MySQL's). */
const DEFAULT_SCHEMA: Readonly<Record<Dialect, string>> = { postgres: 'agents', mysql: 'chat' };
export const defaultSchemaFor = (dialect: Dialect): string => DEFAULT_SCHEMA[dialect];
