/**
 * Build step (`npm run build`): the image of an empty PGlite data directory
 * in dist/pglite/ (see dialects/pglite/image.ts). It is what PGlite itself
 * leaves after its first start on a new directory and a clean close, made
 * once per PGlite version: a later build with the same PGlite keeps it.
 *
 *   node dist/scripts/pglite-image.js [--force]
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { readControlVersions } from '../dialects/pglite/datadir.js';
import { imageDir, packImage, readManifest, writeImageFiles } from '../dialects/pglite/image.js';

const require = createRequire(import.meta.url);
const pgliteVersion = (JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }).version;

/** pg_control's `state` (after the identifier and the two versions): 1 is "shut down". */
const DB_SHUTDOWNED = 1;

function walk(root: string, rel = ''): { path: string; dir: boolean; data?: Uint8Array }[] {
  const out: { path: string; dir: boolean; data?: Uint8Array }[] = [];
  for (const ent of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push({ path: p, dir: true }, ...walk(root, p));
    else if (ent.isFile()) out.push({ path: p, dir: false, data: fs.readFileSync(path.join(root, p)) });
    else throw new Error(`unexpected ${p} in the data directory (neither file nor directory)`);
  }
  return out;
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const have = readManifest();
  if (!force && have?.pglite === pgliteVersion && fs.existsSync(path.join(imageDir, 'datadir.bin'))) {
    console.log(`pglite-image: dist/pglite is up to date (PGlite ${pgliteVersion}, PostgreSQL ${have.pgVersion})`);
    return;
  }
  const started = performance.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-pglite-image-'));
  try {
    const dir = path.join(scratch, 'pgdata');
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create({ dataDir: dir });
    await db.query('SELECT 1');
    await db.close();
    const control = fs.readFileSync(path.join(dir, 'global', 'pg_control'));
    if (control.readUInt32LE(16) !== DB_SHUTDOWNED) throw new Error('PGlite did not shut the new data directory down cleanly');
    const { controlVersion, catalogVersion } = readControlVersions(path.join(dir, 'global', 'pg_control'));
    const image = packImage(walk(dir), {
      pglite: pgliteVersion,
      pgVersion: fs.readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim(),
      controlVersion: controlVersion!,
      catalogVersion: catalogVersion!,
    });
    writeImageFiles(image);
    const size = image.manifest.files.reduce((n, f) => n + f.size, 0);
    console.log(
      `pglite-image: dist/pglite: PostgreSQL ${image.manifest.pgVersion} data directory of PGlite ${pgliteVersion}, ` +
        `${image.manifest.files.length} files, ${(size / 1e6).toFixed(1)} MB (${(image.blob.length / 1e6).toFixed(1)} MB stored), ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`pglite-image: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
