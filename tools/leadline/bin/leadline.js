#!/usr/bin/env node
// The `leadline` operator tool. In a source checkout it is compiled on the fly (tools/run-ts.js); in an
// image built by deploy/ it runs the compiled dist/tools/leadline/src/main.js.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const compiled = path.join(root, 'dist', 'tools', 'leadline', 'src', 'main.js');
const runTs = path.join(root, 'tools', 'run-ts.js');
if (fs.existsSync(path.join(root, 'tools', 'leadline', 'src', 'main.ts')) && fs.existsSync(runTs)) {
  process.argv = [process.argv[0], runTs, 'tools/leadline/src/main.ts', ...process.argv.slice(2)];
  require(runTs);
} else {
  process.argv = [process.argv[0], compiled, ...process.argv.slice(2)];
  require('reflect-metadata');
  require('node:module').runMain();
}
