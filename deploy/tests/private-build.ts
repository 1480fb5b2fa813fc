import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Compiles a service and the libs exactly as tools/build.js does (same swc config), but into a directory of
 * its own under tmp/, so tests running at the same time never execute files another build is rewriting in
 * dist/. Node still finds the repository's node_modules from there.
 */
export async function buildServicePrivately(service: string): Promise<{ main: string; remove: () => void }> {
  const out = path.join(ROOT, 'tmp', `deploy-tests-${randomBytes(4).toString('hex')}`);
  await promisify(execFile)(process.execPath, [
    require.resolve('@swc/cli/bin/swc.js'), `services/${service}`, 'libs', '-d', out, '--config-file', '.swcrc', '--quiet',
    '--copy-files', '--ignore', '**/*.spec.ts,**/*.service-test.ts',
  ], { cwd: ROOT });
  return { main: path.join(out, 'services', service, 'src', 'main.js'), remove: () => rmSync(out, { recursive: true, force: true }) };
}
