/** The section of one table: comment, columns, indexes, constraints, triggers, advisories, differences. */
import { columnsTable } from './columns.js';
import { advisoriesList, constraintsList, indexesTable, triggersList } from './keys.js';
import { text } from './markdown.js';
import type { Marks } from './marks.js';
import type { DocVariant } from './types.js';
import { agreed, onlyIn, type TableAcross } from './variants.js';

const part = (title: string, body: string | null): string[] => (body ? [`**${title}**`, '', body, ''] : []);

export function tableSection(across: TableAcross, variants: DocVariant[], marks: Marks): string {
  const changes = marks.ofTable(across.name);
  const comment = agreed(
    across.tables.map((t) => (t ? text(t.comment ?? '') : null)),
    variants,
  );
  const only = onlyIn(
    across.tables.map((t) => t !== null),
    variants,
  );
  const lines = [`### ${across.name}`, ''];
  if (changes.length) lines.push(`⚠ ${changes.length === 1 ? '1 difference' : `${changes.length} differences`} from the definition (below).`, '');
  if (only) lines.push(`*${only}.*`, '');
  if (comment) lines.push(comment, '');
  lines.push(columnsTable(across, variants, marks), '');
  lines.push(
    ...part('Indexes', indexesTable(across, variants, marks)),
    ...part('Constraints', constraintsList(across, variants, marks)),
    ...part('Triggers', triggersList(across, variants)),
    ...part('Index advisories (dbkit check-indexes)', advisoriesList(across, variants)),
    ...part('Differences from the definition (dbkit diff)', changes.length ? changes.map((c) => `- ⚠ ${text(c.message)}`).join('\n') : null),
  );
  return lines.join('\n').trimEnd();
}
