/** PostgreSQL identifier and literal quoting. */
export const ident = (name: string): string => '"' + name.replace(/"/g, '""') + '"';
export const literal = (value: string): string => "'" + value.replace(/'/g, "''") + "'";
