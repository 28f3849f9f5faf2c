/** Command-line options of the bench scripts. */

/**
 * `--flag N` or `--flag=N` (the last one given wins), else the variable
 * `envName` when given and set, else `fallback`: a positive whole number.
 */
export function intOption(flag: string, fallback: number, envName?: string): number {
  const argv = process.argv.slice(2);
  let raw: string | undefined = envName ? process.env[envName] : undefined;
  let from = envName ?? flag;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === flag) [raw, from] = [argv[i + 1], flag];
    else if (arg.startsWith(`${flag}=`)) [raw, from] = [arg.slice(flag.length + 1), flag];
  }
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${from} must be a positive whole number, got "${raw}"`);
  return n;
}

/** `--flag value` or `--flag=value`, else `fallback`. */
export function stringOption(flag: string, fallback: string): string;
export function stringOption(flag: string, fallback: null): string | null;
export function stringOption(flag: string, fallback: string | null): string | null {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return fallback;
  const raw = argv[i]!.includes('=') ? argv[i]!.slice(flag.length + 1) : argv[i + 1];
  if (raw === undefined || raw === '' || raw.startsWith('--')) throw new Error(`${flag} needs a value`);
  return raw;
}
