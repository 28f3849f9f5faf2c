/**
 * Word pools drawn from faker once per run (seeded, so they reproduce).
 * Rows pick from these with the fast seeded stream instead of calling faker
 * per row: faker costs microseconds a call, and a seed writes hundreds of
 * thousands of rows.
 */
import type { Faker } from '@faker-js/faker';

export interface Pools {
  firstNames: string[];
  lastNames: string[];
  companies: string[];
  products: string[];
  /** Technical noun phrases: "neural transmitter", "primary protocol"... */
  nouns: string[];
  adjectives: string[];
  verbs: string[];
  /** Believable technical sentences. */
  phrases: string[];
  /** Marketing-style sentences. */
  catchPhrases: string[];
  cities: string[];
  timeZones: string[];
  userAgents: string[];
  domains: string[];
  avatars: string[];
}

const POOL = 400;

const many = (n: number, f: () => string): string[] => Array.from({ length: n }, f);

export async function loadFaker(seed: number): Promise<Faker> {
  const { faker } = await import('@faker-js/faker/locale/en');
  faker.seed(seed);
  return faker;
}

export function buildPools(faker: Faker): Pools {
  return {
    firstNames: many(POOL, () => faker.person.firstName()),
    lastNames: many(POOL, () => faker.person.lastName()),
    companies: many(POOL, () => faker.company.name()),
    products: many(POOL, () => faker.commerce.productName()),
    nouns: many(POOL, () => `${faker.hacker.adjective()} ${faker.hacker.noun()}`),
    adjectives: many(100, () => faker.word.adjective()),
    verbs: many(100, () => faker.hacker.verb()),
    phrases: many(POOL, () => faker.hacker.phrase()),
    catchPhrases: many(POOL, () => faker.company.catchPhrase()),
    cities: many(100, () => faker.location.city()),
    timeZones: many(40, () => faker.location.timeZone()),
    userAgents: many(60, () => faker.internet.userAgent()),
    domains: many(40, () => faker.internet.domainName()),
    avatars: many(100, () => faker.image.avatar()),
  };
}
