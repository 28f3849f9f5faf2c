#!/usr/bin/env node
import { run } from '../src/cli/run.js';

// Bundled as CommonJS (dist/cli/dbkit.cjs, no top-level await) so that start-up skips the ES module loader.
void run(process.argv).then(async (code) => {
  // Exit as soon as everything written has been flushed, instead of waiting for
  // Node's own teardown; the streams' callbacks fire once earlier writes are out.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((done) => s.write('', () => done()))));
  process.exit(code);
});
