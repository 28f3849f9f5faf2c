/**
 * dbkit docs [--out DIR] [--check] [--stdout]: a Markdown document per
 * schema with a Mermaid ER diagram, from the definition (both variants side
 * by side), or from a live database with --url (marked where it differs).
 */
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import { diff } from '../diff/differ.js';
import { renderSchemaDoc } from '../docs/document.js';
import { checkDoc, checkDocPaths, checkOutDirectory, writeDoc, type CheckStatus, type WriteStatus } from '../docs/files.js';
import { DEFAULT_DOCS_DIR, definitionDoc, liveDoc, refreshCommand } from '../docs/sources.js';
import type { SchemaDoc } from '../docs/types.js';
import { schemaNames } from '../schema/registry.js';
import { inspect } from './inspect.js';
import { configFor, whereJson, withSession } from './shared.js';

export interface DocsOptions {
  out?: string;
  check?: boolean;
  stdout?: boolean;
}

interface Made {
  docs: SchemaDoc[];
  /** Live: where it ran (for --json), and how many differences. */
  live: { where: ReturnType<typeof whereJson>; differences: number } | null;
  /** The command that writes these documents again, as this run was asked (for `--check`'s message). */
  refresh: string;
}

function fromDefinition(schema: string | undefined, out: string): Made {
  if (schema !== undefined && !schemaNames.includes(schema)) {
    throw new UsageError(`unknown schema "${schema}": use one of ${schemaNames.join(', ')}`);
  }
  return { docs: (schema ? [schema] : schemaNames).map((s) => definitionDoc(s)), live: null, refresh: refreshCommand({ schema, out }) };
}

async function fromDatabase(globals: GlobalOptions, out: string, io: Io): Promise<Made> {
  const config = await configFor(globals, io);
  return withSession(config, io, async (conn) => {
    const { actual, expected } = await inspect(conn, io);
    const changes = diff(actual, expected);
    const doc = liveDoc({
      schemaName: config.schemaName,
      dialect: config.dialect,
      where: `${config.target.display}, namespace \`${conn.namespace}\``,
      actual,
      changes,
      command: refreshCommand({ url: config.target.display, schema: config.schemaName }),
    });
    const refresh = refreshCommand({ url: config.target.display, schema: config.schemaName, out });
    return { docs: [doc], live: { where: whereJson(conn), differences: changes.length }, refresh };
  });
}

const summary = (doc: SchemaDoc) => {
  const drawn = doc.variants[doc.diagramVariant]!.schema.tables;
  return {
    schema: doc.schema,
    variants: doc.variants.map((v) => v.label),
    tables: drawn.length,
    foreignKeys: drawn.reduce((n, t) => n + t.foreignKeys.length, 0),
  };
};

export async function docsCommand(opts: DocsOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.check && opts.stdout) throw new UsageError('--check compares the files in --out; it does not go with --stdout');
  const out = opts.out ?? DEFAULT_DOCS_DIR;
  if (!out.trim()) throw new UsageError('--out needs a directory');
  if (!opts.stdout) checkOutDirectory(out, out);
  // Only an explicit --url documents a database: DATABASE_URL or .env must not turn `docs --check` in CI live.
  const made = globals.url ? await fromDatabase(globals, out, io) : fromDefinition(globals.schema, out);
  const dir = path.resolve(out);
  const rendered = made.docs.map((doc) => ({ doc, file: doc.file, content: renderSchemaDoc(doc), shown: path.join(out, doc.file) }));
  const head = {
    ...(made.live ? made.live.where : {}),
    mode: made.live ? 'live' : 'definition',
    out,
    check: !!opts.check,
    ...(made.live ? { differences: made.live.differences } : {}),
  };

  if (opts.stdout) {
    if (io.json) io.emitJson({ ...head, files: rendered.map((r) => ({ file: r.shown, ...summary(r.doc), content: r.content })), stale: [] });
    else io.out(rendered.map((r) => r.content).join('\n'));
    return 0;
  }

  if (opts.check) {
    const results = rendered.map((r) => ({ ...r, status: checkDoc(dir, r) as CheckStatus }));
    const stale = results.filter((r) => r.status !== 'fresh');
    if (io.json) {
      io.emitJson({ ...head, files: results.map((r) => ({ file: r.shown, ...summary(r.doc), status: r.status })), stale: stale.map((r) => r.shown) });
    } else if (stale.length) {
      const what = stale.map((r) => `${r.shown} is ${r.status}`).join(', ');
      io.out(`${what}: run ${made.refresh} to refresh`);
    } else {
      io.out(`docs up to date: ${results.map((r) => r.shown).join(', ')}`);
    }
    return stale.length ? 1 : 0;
  }

  checkDocPaths(dir, rendered);
  const results = rendered.map((r) => ({ ...r, status: writeDoc(dir, r) as WriteStatus }));
  if (io.json) {
    io.emitJson({ ...head, files: results.map((r) => ({ file: r.shown, ...summary(r.doc), status: r.status })), stale: [] });
  } else {
    io.out(
      results
        .map((r) => {
          const s = summary(r.doc);
          return `${r.shown}: ${r.status} (${s.tables} tables, ${s.foreignKeys} foreign keys; ${s.variants.join(' beside ')})`;
        })
        .join('\n'),
    );
  }
  return 0;
}
