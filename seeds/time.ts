/** Whole-second times (both engines store them exactly) and the spans generators use. */
import type { Rng } from '../src/fake/random.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A whole-second instant in [from, to]. */
export const between = (r: Rng, from: number, to: number): number =>
  Math.floor((from + r.next() * Math.max(0, to - from)) / SECOND) * SECOND;

/** `t` plus a whole number of seconds in [minSeconds, maxSeconds]. */
export const after = (r: Rng, t: number, minSeconds: number, maxSeconds: number): number =>
  t + r.int(minSeconds, maxSeconds) * SECOND;
