/**
 * TLS from a URL's parameters, with libpq's semantics, as explicit options
 * for the drivers (node-postgres' own reading of `sslmode` treats `require`
 * as `verify-full` and prints a security warning; dbkit never hands it the
 * URL).
 *
 * PostgreSQL `sslmode`: disable | allow | prefer | require | verify-ca |
 * verify-full (default: `PGSSLMODE`, else disable, as node-postgres).
 * MySQL `ssl-mode`: DISABLED | PREFERRED | REQUIRED | VERIFY_CA |
 * VERIFY_IDENTITY (libpq's names are accepted too; `ssl=true` is
 * VERIFY_IDENTITY, `ssl=false` DISABLED; default DISABLED, as mysql2).
 *
 * - allow/prefer: decided when connecting (src/db/tls-probe.ts): prefer uses
 *   TLS when the server offers it, allow only when the server refuses a
 *   connection without it.
 * - require: encrypted, certificate not checked (as libpq: checked against
 *   the CA when `sslrootcert` names one).
 * - verify-ca: the certificate must chain to the CA (`sslrootcert`, else
 *   ~/.postgresql/root.crt when it exists, else Node's CA store).
 * - verify-full: and name the host.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
export const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

const MYSQL_MODES: Record<string, SslMode> = {
  disabled: 'disable',
  preferred: 'prefer',
  required: 'require',
  verify_ca: 'verify-ca',
  verify_identity: 'verify-full',
};

/** What both drivers take (mysql2 reads `verifyIdentity`; node-postgres passes the rest to tls.connect). */
export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  rejectUnauthorized?: boolean;
  verifyIdentity?: boolean;
  checkServerIdentity?: () => undefined;
}

export interface TlsPlan {
  mode: SslMode;
  /** The options of a TLS connection, when one is made (mysql2 reads `verifyIdentity`). */
  options: TlsOptions;
}

function readFile(param: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the ${param} file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}

function options(
  mode: SslMode,
  params: Record<string, string>,
  names: { ca: string[]; cert: string[]; key: string[] },
  driver: 'pg' | 'mysql2',
): TlsOptions {
  const pick = (keys: string[]) => keys.map((k) => [k, params[k]] as const).find(([, v]) => v !== undefined && v !== '');
  const ca = pick(names.ca);
  const cert = pick(names.cert);
  const key = pick(names.key);
  const o: TlsOptions = {};
  if (ca && ca[1] !== 'system') o.ca = readFile(ca[0], ca[1]);
  if (!ca && (mode === 'verify-ca' || mode === 'verify-full')) {
    const home = path.join(os.homedir(), '.postgresql', 'root.crt');
    if (driver === 'pg' && fs.existsSync(home)) o.ca = readFile('sslrootcert', home);
  }
  if (cert) o.cert = readFile(cert[0], cert[1]);
  if (key) o.key = readFile(key[0], key[1]);
  const passphrase = params.sslpassword ?? params['ssl-passphrase'];
  if (passphrase) o.passphrase = passphrase;
  // require checks nothing, unless a CA was named (libpq: then as verify-ca).
  const verify = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && !!o.ca);
  o.rejectUnauthorized = verify;
  // mysql2 checks the host name only when asked (verifyIdentity); node-postgres always does unless told not to.
  if (driver === 'mysql2') o.verifyIdentity = mode === 'verify-full';
  else if (verify && mode !== 'verify-full') o.checkServerIdentity = () => undefined;
  return o;
}

function mode(value: string, name: string, allowed: string): SslMode {
  const v = value.trim().toLowerCase();
  if ((SSL_MODES as readonly string[]).includes(v)) return v as SslMode;
  if (MYSQL_MODES[v]) return MYSQL_MODES[v]!;
  throw new UsageError(`${name} must be one of ${allowed}, got "${value}"`);
}

const PG_ALLOWED = SSL_MODES.join(', ');
const MYSQL_ALLOWED = 'DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY';

const boolish = (v: string | undefined): boolean | undefined =>
  v === undefined ? undefined : ['true', '1'].includes(v.toLowerCase()) ? true : ['false', '0'].includes(v.toLowerCase()) ? false : undefined;

/** PostgreSQL: `sslmode` (or `ssl=true|false`), else PGSSLMODE, else disable. */
export function pgTls(params: Record<string, string>, env: NodeJS.ProcessEnv = process.env): TlsPlan {
  let m: SslMode = 'disable';
  if (params.sslmode !== undefined) {
    const v = params.sslmode.trim().toLowerCase();
    if (!(SSL_MODES as readonly string[]).includes(v)) throw new UsageError(`sslmode must be one of ${PG_ALLOWED}, got "${params.sslmode}"`);
    m = v as SslMode;
  } else if (boolish(params.ssl) !== undefined) {
    m = boolish(params.ssl) ? 'verify-full' : 'disable';
  } else if (env.PGSSLMODE !== undefined) {
    // An empty PGSSLMODE is refused (as libpq does), not read as unset.
    m = mode(env.PGSSLMODE, 'PGSSLMODE', PG_ALLOWED);
  }
  return { mode: m, options: m === 'disable' ? {} : options(m, params, { ca: ['sslrootcert'], cert: ['sslcert'], key: ['sslkey'] }, 'pg') };
}

/** MySQL: `ssl-mode` (or `sslMode`, `sslmode`, `ssl=true|false`), else disabled. */
export function mysqlTls(params: Record<string, string>): TlsPlan {
  const given = params['ssl-mode'] ?? params.ssl_mode ?? params.sslMode ?? params.sslmode;
  let m: SslMode = 'disable';
  if (given !== undefined) m = mode(given, 'ssl-mode', MYSQL_ALLOWED);
  else if (params.ssl !== undefined) {
    const b = boolish(params.ssl);
    if (b === undefined) throw new UsageError(`ssl must be true or false (or use ssl-mode=${MYSQL_ALLOWED.replace(/, /g, '|')}), got "${params.ssl}"`);
    m = b ? 'verify-full' : 'disable';
  }
  const names = { ca: ['ssl-ca', 'sslca', 'sslrootcert'], cert: ['ssl-cert', 'sslcert'], key: ['ssl-key', 'sslkey'] };
  return { mode: m, options: m === 'disable' ? {} : options(m, params, names, 'mysql2') };
}

/**
 * Whether allow/prefer chose TLS for a server, decided once per process
 * (src/db/tls-probe.ts) and read by every later connection to it.
 */
const decided = new Map<string, boolean>();
export const tlsDecision = (key: string): boolean | undefined => decided.get(key);
export const decideTls = (key: string, useTls: boolean): void => void decided.set(key, useTls);
