/** The engine port's seed area: the seed lock, the bulk writer, the take-back (dialects/<d>/port-seed.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SeedPort {}
