#!/usr/bin/env node
// Runs one TypeScript entry point (a CLI or a bench) through the same swc build as the services.
// Usage: node tools/run-ts.js path/to/file.ts [args...]
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node tools/run-ts.js path/to/file.ts [args...]\n');
  process.exit(2);
}
const top = entry.split(/[\\/]/)[0];
execFileSync(process.execPath, [path.join(__dirname, 'build.js'), top, 'libs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
process.argv = [process.argv[0], path.join(root, 'dist', entry.replace(/\.ts$/, '.js')), ...args];
require('reflect-metadata');
// Run it as the main module, so its `require.main === module` guard holds.
require('node:module').runMain();
