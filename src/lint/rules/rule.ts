/**
 * A lint rule: which dialects it applies to, and for one fact of a statement
 * (with what the file did before it), its findings. Rules are pure and read
 * facts only (src/lint/facts.ts).
 */
import type { Dialect } from '../../schema/model.js';
import type { Fact } from '../facts.js';
import type { Scope } from '../scope.js';

export interface Hit {
  code: string;
  message: string;
}

export interface Rule {
  /** The codes this rule reports (docs/lint.md has one row per code). */
  codes: readonly string[];
  dialects: readonly Dialect[];
  check(fact: Fact, scope: Scope): Hit[];
}
