/**
 * Two targets that name the same database and namespace (the same host,
 * port and database, whatever user or password) would be one database
 * migrated twice over: almost certainly a mistake in the file.
 */
import path from 'node:path';
import type { TargetSpec } from './targets.js';

/** Each server URL's default port, and whether its database is the namespace. */
const SERVER = { postgres: { port: '5432', namespaceIsDatabase: false }, mysql: { port: '3306', namespaceIsDatabase: true } } as const;

/** engine|host|port|database|namespace of a URL, or null when it cannot be told (pglite:memory). */
export function databaseKey(url: string, namespace: string | null): string | null {
  if (url.startsWith('pglite:')) {
    const rest = url.slice('pglite:'.length).replace(/^\/\//, '');
    return rest.toLowerCase() === 'memory' ? null : `pglite|${path.resolve(rest)}|${namespace ?? ''}`;
  }
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(url)?.[1]?.toLowerCase() ?? '';
  const engine: keyof typeof SERVER = scheme.startsWith('postgres') ? 'postgres' : 'mysql';
  const rest = url.slice(url.indexOf('://') + 3);
  const afterUser = rest.slice(rest.lastIndexOf('@') + 1);
  const [authority = '', pathPart = ''] = afterUser.split(/\/(.*)/s);
  const hostPort = authority.split('?')[0]!.toLowerCase();
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
  const host = m?.[1] ?? hostPort;
  const port = m?.[2] ?? SERVER[engine].port;
  const database = decodeURIComponent(pathPart.split('?')[0]!.replace(/\/$/, ''));
  // On MySQL a namespace is the database itself.
  return SERVER[engine].namespaceIsDatabase ? `${engine}|${host}|${port}|${namespace ?? database}` : `${engine}|${host}|${port}|${database}|${namespace ?? ''}`;
}

/** The names of the first two targets that are the same database and namespace, or null. */
export function sameDatabase(targets: readonly { spec: TargetSpec; url: string }[], defaultNamespace: string | null): [string, string] | null {
  const seen = new Map<string, string>();
  for (const { spec, url } of targets) {
    let key: string | null;
    try {
      key = databaseKey(url, spec.namespace ?? defaultNamespace);
    } catch {
      key = null;
    }
    if (key === null) continue;
    const other = seen.get(key);
    if (other) return [other, spec.name];
    seen.set(key, spec.name);
  }
  return null;
}
