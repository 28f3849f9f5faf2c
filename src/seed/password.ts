/**
 * Password hashes for seeded users: scrypt (Node's own, no native addon) in
 * the PHC string format `$scrypt$ln=4,r=8,p=1$<salt>$<hash>` (base64, no
 * padding). The cost is low on purpose: this is test data, and hashing must
 * not dominate a seed of thousands of users. It is still a real hash that
 * any scrypt implementation verifies.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export const SEED_HASH_COST = { ln: 4, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string, salt: Buffer): Promise<string> {
  const { ln, r, p } = SEED_HASH_COST;
  const key = await scrypt(password, salt, KEY_LENGTH, { N: 2 ** ln, r, p });
  return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
}

/** Check a password against a `$scrypt$...` PHC string. */
export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!m) return false;
  const [, ln, r, p, salt, hash] = m;
  const expected = Buffer.from(hash!, 'base64');
  const key = await scrypt(password, Buffer.from(salt!, 'base64'), expected.length, {
    N: 2 ** Number(ln),
    r: Number(r),
    p: Number(p),
  });
  return crypto.timingSafeEqual(key, expected);
}
