/** dbkit make NAME: a new, empty migration file in migrations/<schema>/. */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';
import type { GlobalOptions } from '../config/load.js';
import { migrationsRoot } from '../paths.js';
const sourceMigrationsRoot = migrationsRoot();
import { loadSettings } from '../config/load.js';


const TEMPLATE = `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // await knex.raw('...');
}

export async function down(knex: Knex): Promise<void> {
  // undo everything up() did
}
`;

export const timestamp = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

export async function makeCommand(
  name: string,
  globals: GlobalOptions,
  io: Io,
  now = new Date(),
  root = sourceMigrationsRoot,
): Promise<number> {
  const { schemaName: schema } = await loadSettings(globals);
  const slug = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  if (!slug) throw new UsageError('make needs a NAME of letters or digits, e.g. dbkit make add_user_locale');
  const dir = path.join(root, schema);
  if (!fs.existsSync(dir)) throw new UsageError(`no migrations folder at ${dir}: run make in a dbkit checkout`);
  const file = path.join(dir, `${timestamp(now)}_${slug}.ts`);
  if (fs.existsSync(file)) throw new UsageError(`${path.relative(path.dirname(root), file)} already exists`);
  fs.writeFileSync(file, TEMPLATE, { flag: 'wx' });
  const rel = path.relative(path.dirname(root), file);
  if (io.json) io.emitJson({ schema, name: path.basename(file, '.ts'), file: rel });
  else io.out(`created ${rel}\nedit it, then \`npm run build\` so dbkit picks it up`);
  return 0;
}
