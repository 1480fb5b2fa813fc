#!/usr/bin/env node
// Compiles TypeScript to dist/ with swc (decorator metadata kept for Nest and TypeORM; `@leadline/*`
// rewritten to relative paths). Type checking is `npm run lint`. Usage: node tools/build.js [folder ...]
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const folders = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['services', 'libs', 'bench'];
execFileSync(process.execPath, [
  require.resolve('@swc/cli/bin/swc.js'), ...folders, '-d', 'dist', '--config-file', '.swcrc', '--quiet',
  '--copy-files', '--ignore', '**/*.spec.ts,**/*.service-test.ts',
], { cwd: root, stdio: 'inherit' });
