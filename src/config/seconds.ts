/**
 * Seconds as dbkit takes them everywhere (--lock-timeout, --timeout,
 * --statement-timeout, --ddl-lock-timeout, DBKIT_LEASE_TTL, the config
 * file's values): plain decimal digits, optionally a fraction (`5`, `0.5`).
 * Number() would also take `0x10`, `1e3`, `0b1`, ` 5` or `Infinity`: a typo
 * or a unit mix-up read as some other bound, so those are refused (exit 2
 * by each caller, naming the flag or key), as counts take digits only.
 */
const DECIMAL_SECONDS = /^\d+(?:\.\d+)?$/;

/** What a refusal says the value must look like. */
export const SECONDS_FORMAT = 'digits, optionally a fraction: 5 or 0.5';

/**
 * The seconds a value stands for, or null when it is not plain decimal
 * seconds. A number (a config file's value: how it was spelled is gone)
 * must be finite and not negative.
 */
export function readSeconds(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  return DECIMAL_SECONDS.test(value) ? Number(value) : null;
}
