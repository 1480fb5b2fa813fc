#!/usr/bin/env node
// `npm test`: type-checks everything (tests included), then runs the unit, service and end-to-end tests.
// NATS and PostgreSQL come from NATS_URL / DATABASE_URL, else the local default ports, else testcontainers.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { useLocalInfrastructure } = require('./local-infra');

const root = path.resolve(__dirname, '..');

async function main() {
  await useLocalInfrastructure('leadline_test');
  process.stdout.write(`NATS_URL=${process.env.NATS_URL ?? '(testcontainers)'} DATABASE_URL=${process.env.DATABASE_URL ?? '(testcontainers)'}\n`);
  const lint = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' });
  if (lint.status !== 0) {
    process.stderr.write('type check failed\n');
    process.exit(lint.status ?? 1);
  }
  const report = path.join(os.tmpdir(), `leadline-jest-${process.pid}.json`);
  const jest = spawnSync(process.execPath, [
    require.resolve('jest/bin/jest'), '--ci', '--maxWorkers=2', '--json', `--outputFile=${report}`, ...process.argv.slice(2),
  ], { cwd: root, stdio: 'inherit', env: process.env });
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    // The plain closing line CI reads.
    process.stdout.write(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped\n`);
    fs.rmSync(report);
  }
  process.exit(jest.status ?? 1);
}

void main();
