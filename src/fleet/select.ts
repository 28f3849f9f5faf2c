/**
 * Picking targets by name or tag, for `--canary` and `--only`: each value is
 * a target's name or `tag:T` (every target with tag T). A name that is no
 * target, or a tag that no target has, is a usage error: a typo must not
 * turn a canary rollout into an everything-at-once one.
 */
import { UsageError } from '../shared/errors.js';
import type { TargetSpec } from './targets.js';

/** The names picked by `selectors`, in file order. */
export function selectTargets(targets: readonly TargetSpec[], selectors: readonly string[], flag: string): Set<string> {
  const picked = new Set<string>();
  for (const raw of selectors) {
    const s = raw.trim();
    if (!s) throw new UsageError(`${flag} needs a target name or tag:<tag>`);
    if (s.startsWith('tag:')) {
      const tag = s.slice(4);
      const hits = targets.filter((t) => t.tags.includes(tag));
      if (!hits.length) throw new UsageError(`${flag} ${s}: no target has the tag ${tag}`);
      hits.forEach((t) => picked.add(t.name));
    } else {
      if (!targets.some((t) => t.name === s)) throw new UsageError(`${flag} ${s}: no target is named ${s} (use tag:<tag> for a tag)`);
      picked.add(s);
    }
  }
  return new Set(targets.filter((t) => picked.has(t.name)).map((t) => t.name));
}
