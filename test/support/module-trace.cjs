// Preloaded with `node --require` by test/e2e/startup-modules.test.ts: writes
// every module file the process loads (CommonJS requires and ES module
// imports) to the file named by DBKIT_MODULE_TRACE, one per line.
const fs = require('node:fs');
const Module = require('node:module');
const out = process.env.DBKIT_MODULE_TRACE;
const seen = new Set();
const note = (file) => {
  if (!file || seen.has(file)) return;
  seen.add(file);
  fs.appendFileSync(out, `${file}\n`);
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolve.apply(this, args);
  note(file);
  return file;
};
Module.register(
  'data:text/javascript,' +
    encodeURIComponent(
      `import fs from 'node:fs';
       export async function resolve(specifier, context, next) {
         const r = await next(specifier, context);
         if (r.url.startsWith('file:')) fs.appendFileSync(${JSON.stringify(out)}, new URL(r.url).pathname + '\\n');
         return r;
       }`,
    ),
);
