/** Command-line options of the bench scripts. */

/** `--flag N` or `--flag=N`: a positive whole number, else `fallback`. */
export function intOption(flag: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(flag);
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive whole number, got "${raw}"`);
  return n;
}
