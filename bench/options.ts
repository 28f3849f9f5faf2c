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
