/**
 * The committed schema documents' ER diagrams render in a real headless
 * Chromium with mermaid from npm, offline, and the SVG has every table (7 in
 * agents, 4 in chat) with its columns, and one relationship per foreign key
 * with its columns as label and the cardinality the columns give.
 * Set DBKIT_DOCS_SCREENSHOT=<dir> to also get a PNG of each diagram, to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import { schemas } from '../../src/schema/registry.js';
import { normal } from '../support/normal.js';
import { repoRoot } from '../support/cli.js';
import { chromiumPath, mermaidBlocks, renderMermaid, type RenderedDiagram } from '../support/chromium.js';

const TABLE_COUNTS: Record<string, number> = { agents: 7, chat: 4 };

const diagramOf = (schema: string) => {
  const md = fs.readFileSync(path.join(repoRoot, 'docs', 'schema', `${schema}.md`), 'utf8');
  const blocks = mermaidBlocks(md);
  expect(blocks, `docs/schema/${schema}.md has one mermaid block`).toHaveLength(1);
  return { name: schema, source: blocks[0]! };
};

/** `id_entity-users-0_entity-sessions-1_0` -> [users, sessions] */
const ends = (id: string): [string, string] => {
  const m = /^id_entity-(.+)-\d+_entity-(.+)-\d+_\d+$/.exec(id);
  if (!m) throw new Error(`unexpected relationship id ${id}`);
  return [m[1]!, m[2]!];
};

describe('docs: the ER diagrams in headless Chromium', () => {
  it('chromium is installed (the render test fails rather than skips without it)', () => {
    expect(fs.existsSync(chromiumPath())).toBe(true);
  });

  it('renders every table, column and foreign key of both schemas', { timeout: 300_000 }, async () => {
    const names = Object.keys(TABLE_COUNTS);
    const rendered: Record<string, RenderedDiagram> = await renderMermaid(names.map(diagramOf));
    for (const schema of names) {
      const d = rendered[schema]!;
      expect(d, schema).toBeDefined();
      const variant = normal(expectedVariant(schema, schemas[schema]!.native));
      expect(variant.tables).toHaveLength(TABLE_COUNTS[schema]!);

      // Every table, by the title drawn in its box, with every column.
      expect(d.entities.map((e) => e.name).sort(), schema).toEqual(variant.tables.map((t) => t.name).sort());
      for (const t of variant.tables) {
        const e = d.entities.find((x) => x.name === t.name)!;
        expect(e.attributes, `${schema}.${t.name}`).toEqual(t.columns.map((c) => c.name));
      }

      // Every foreign key, once, from the referenced table to the referencing one, labelled with its columns.
      const fks = variant.tables.flatMap((t) => t.foreignKeys.map((fk) => ({ child: t, fk })));
      expect(d.relationships, schema).toHaveLength(fks.length);
      const drawn = d.relationships.map((r) => ({ ...r, ends: ends(r.id) }));
      for (const { child, fk } of fks) {
        const what = `${schema}: ${child.name} (${fk.columns.join(', ')}) -> ${fk.refTable}`;
        const r = drawn.filter((x) => x.ends[0] === fk.refTable && x.ends[1] === child.name && x.label === fk.columns.join(', '));
        expect(r, what).toHaveLength(1);
        // NOT NULL columns: exactly one parent; nullable: zero or one. Not unique: zero or more children.
        const nullable = fk.columns.some((c) => child.columns.find((x) => x.name === c)!.nullable);
        expect(r[0]!.markerStart, what).toMatch(nullable ? /zeroOrOneStart/ : /onlyOneStart/);
        expect(r[0]!.markerEnd, what).toMatch(/zeroOrMoreEnd/);
      }
    }

    // For a person to look at: DBKIT_DOCS_SCREENSHOT=<dir> writes a PNG of each diagram.
    if (process.env.DBKIT_DOCS_SCREENSHOT) {
      const dir = path.resolve(process.env.DBKIT_DOCS_SCREENSHOT);
      fs.mkdirSync(dir, { recursive: true });
      for (const schema of names) {
        const file = path.join(dir, `${schema}.png`);
        await renderMermaid([diagramOf(schema)], { screenshot: file, windowSize: [1800, 2400] });
        expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      }
    }
  });
});
