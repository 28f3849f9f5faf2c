/** Names, handles and addresses for seeded users: unique by the user's ordinal. */
import type { Pools } from '../src/fake/pools.js';
import type { Rng } from '../src/fake/random.js';

export interface Person {
  first: string;
  last: string;
  /** Lower-case letters only, then the ordinal: no two users share one. */
  username: string;
  email: string;
}

const letters = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

export function person(r: Rng, pools: Pools, ordinal: number): Person {
  const first = r.pick(pools.firstNames);
  const last = r.pick(pools.lastNames);
  const f = letters(first).slice(0, 20) || 'user';
  const l = letters(last).slice(0, 20);
  const sep = r.pick(['.', '_', '']);
  const username = `${f}${sep}${l}`.slice(0, 38) + ordinal;
  const email = `${f}.${l}${ordinal}@${r.pick(pools.domains)}`.slice(0, 255);
  return { first, last, username, email };
}

export const ipv4 = (r: Rng): string => `${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;

export const ipv6 = (r: Rng): string =>
  [r.pick(['2001:4860', '2a02:6b8', '2607:f8b0', '240e:3b7', '2a01:4f8']), ...Array.from({ length: 6 }, () => r.int(0, 0xffff).toString(16))].join(':');
