/**
 * Pairing of expected objects with actual ones. Objects the design names are
 * paired by name; objects it leaves unnamed (`name: null`) by structure, so
 * that whatever name the engine gave them does not matter.
 */

export interface Pairing<T> {
  pairs: Array<{ expected: T; actual: T | null }>;
  extra: T[];
}

/**
 * `sameStructure(a, e)` decides whether actual `a` is expected `e` when `e`
 * is unnamed; named expected objects pair with the actual object of the same
 * name, and are tried first.
 */
export function pairUp<T extends { name: string | null }>(
  actual: readonly T[],
  expected: readonly T[],
  sameStructure: (a: T, e: T) => boolean,
): Pairing<T> {
  const used = new Set<T>();
  const found = new Map<T, T | null>();
  const take = (e: T, test: (a: T) => boolean) => {
    const a = actual.find((x) => !used.has(x) && test(x)) ?? null;
    if (a) used.add(a);
    found.set(e, a);
  };
  for (const e of expected) if (e.name !== null) take(e, (a) => a.name === e.name);
  for (const e of expected) if (e.name === null) take(e, (a) => sameStructure(a, e));
  return {
    pairs: expected.map((e) => ({ expected: e, actual: found.get(e) ?? null })),
    extra: actual.filter((a) => !used.has(a)),
  };
}
