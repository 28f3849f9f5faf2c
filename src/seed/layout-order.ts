/**
 * The order a seed loads its tables in (src/seed/layout.ts): every table
 * after the tables its foreign keys point at, as close to the generator's
 * own order as that allows (a foreign key added since can move a table).
 * Foreign keys that form a cycle are broken at a nullable column, which is
 * then loaded NULL; a cycle of NOT NULL foreign keys cannot be loaded one
 * table after another at all.
 */

export interface OrderNode {
  name: string;
  /** Preferred place (lower first): the generator's order, then the model's. */
  rank: number;
  /** Foreign keys to other tables of the order. */
  deps: { column: string; parent: string; nullable: boolean; /** The generator writes it: never broken. */ fixed: boolean }[];
}

export type Ordered = { order: string[]; detached: { table: string; column: string }[] } | { cycle: { table: string; column: string; parent: string } };

export function loadOrder(nodes: readonly OrderNode[]): Ordered {
  const remaining = [...nodes].sort((a, b) => a.rank - b.rank);
  const placed = new Set<string>();
  const order: string[] = [];
  const detached: { table: string; column: string }[] = [];
  const waiting = (n: OrderNode) => n.deps.filter((d) => d.parent !== n.name && !placed.has(d.parent));
  while (remaining.length) {
    let next = remaining.findIndex((n) => !waiting(n).length);
    if (next < 0) {
      // A cycle: place the first table whose unmet foreign keys may all be NULL.
      next = remaining.findIndex((n) => waiting(n).every((d) => d.nullable && !d.fixed));
      if (next < 0) {
        const stuck = remaining[0]!;
        const d = waiting(stuck).find((x) => !x.nullable || x.fixed) ?? waiting(stuck)[0]!;
        return { cycle: { table: stuck.name, column: d.column, parent: d.parent } };
      }
      for (const d of waiting(remaining[next]!)) detached.push({ table: remaining[next]!.name, column: d.column });
    }
    const [node] = remaining.splice(next, 1);
    placed.add(node!.name);
    order.push(node!.name);
  }
  return { order, detached };
}
