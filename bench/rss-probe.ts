/**
 * Preloaded into a measured process (`node --import dist/bench/rss-probe.js ...`):
 * on exit, reports the process's peak resident set size on stderr.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(2, `\ndbkit-bench-maxrss-kb=${process.resourceUsage().maxRSS}\n`);
  } catch {
    // stderr closed: nothing to report to
  }
});
