import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { runtimeImports } from './runtime-imports';
import { SERVICES } from './service-catalogue';

/**
 * No Docker engine (and no hadolint binary) on the machines that run the tests, so the Dockerfiles are
 * parsed (dockerfile-ast, the parser behind VS Code's Docker support) and checked for what matters.
 */
const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

interface Stage { name: string; image: string; instructions: Instruction[] }

function stagesOf(file: string): Stage[] {
  const dockerfile = DockerfileParser.parse(readFileSync(file, 'utf8'));
  const defaults = new Map(dockerfile.getInitialARGs().map((arg) => arg.getArgumentsContent()!.split('=') as [string, string]));
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image, , name] = instruction.getArgumentsContent()!.split(/\s+/);
      const resolved = image!.replace(/^\$\{(\w+)\}$/, (_: string, arg: string) => defaults.get(arg) ?? '');
      stages.push({ name: name ?? String(stages.length), image: resolved, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

const args = (instruction: Instruction) => instruction.getArgumentsContent() ?? '';
const fromFlag = (instruction: Instruction): string | undefined =>
  instruction instanceof Copy ? instruction.getFromFlag()?.getValue() ?? undefined : undefined;

describe.each(SERVICES.map((s) => [s.name, s] as const))('services/%s/Dockerfile', (name, definition) => {
  const file = path.join(ROOT, 'services', name, 'Dockerfile');
  const stages = stagesOf(file);
  const runtime = stages.at(-1)!;
  const keyword = (stage: Stage, word: string) => stage.instructions.filter((i) => i.getKeyword() === word);

  it('builds in stages and runs on a small Node 20 image without a shell', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(runtime.image).toMatch(/^gcr\.io\/distroless\/nodejs20-debian12(:|@)/);
    for (const stage of stages) expect(stage.image).not.toMatch(/:latest$|^[^:@]+$/);
    expect(stages.slice(0, -1).every((stage) => /^node:20[-.]/.test(stage.image))).toBe(true);
  });

  it('compiles the service and the libs with swc, and ships only production dependencies', () => {
    const build = stages.find((stage) => keyword(stage, 'RUN').some((run) => args(run).includes('tools/build.js')))!;
    expect(keyword(build, 'RUN').map(args)).toContainEqual(expect.stringMatching(new RegExp(`^node tools/build\\.js services/${name} libs\\b`)));
    const copies = keyword(runtime, 'COPY');
    const modules = copies.find((copy) => args(copy).endsWith('./node_modules'))!;
    const depsStage = stages.find((stage) => stage.name === fromFlag(modules))!;
    expect(keyword(depsStage, 'RUN').map(args)).toContainEqual(expect.stringMatching(/npm ci --omit=dev/));
    expect(copies.find((copy) => args(copy).endsWith('./dist')) && fromFlag(copies.find((copy) => args(copy).endsWith('./dist'))!)).toBe(build.name);
    expect(keyword(runtime, 'RUN')).toEqual([]); // nothing runs in the runtime image: it has no shell
    // Exactly the lock file, never a looser `npm install` that could pick other versions than CI tested.
    for (const stage of stages) for (const run of keyword(stage, 'RUN').map(args)) expect(run).not.toMatch(/npm (install|i)\b/);
    // The runtime image holds the compiled code, production modules and package.json, nothing else.
    expect(copies.map((copy) => args(copy).split(/\s+/).at(-1)).sort()).toEqual(['./', './dist', './node_modules']);
    expect(copies.filter((copy) => !fromFlag(copy)).map(args)).toEqual(['package.json ./']);
  });

  it('needs at run time only packages an image installs (dependencies, not devDependencies)', () => {
    // What the container starts (CMD) and the operator tool it carries (tools/leadline/README.md).
    const { files, packages } = runtimeImports([`services/${name}/src/main.ts`, 'tools/leadline/src/main.ts']);
    expect(files.size).toBeGreaterThan(20);
    expect(packages.has('@nestjs/core')).toBe(true);
    const missing = [...packages].filter(([pkg]) => !builtinModules.includes(pkg) && !(pkg in manifest.dependencies))
      .map(([pkg, file]) => `${pkg} (loaded by ${file})`);
    expect(missing).toEqual([]);
  });

  it('runs as a non-root user, the service on its own port', () => {
    const users = keyword(runtime, 'USER').map(args);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(keyword(runtime, 'EXPOSE').map(args)).toEqual([String(definition.defaultPort)]);
    expect(keyword(runtime, 'ENV').map(args).join(' ')).toContain(`PORT=${definition.defaultPort}`);
    const [cmd] = keyword(runtime, 'CMD').map(args);
    expect(JSON.parse(cmd!)).toEqual([`dist/services/${name}/src/main.js`]);
    expect(existsSync(path.join(ROOT, 'services', name, 'src', 'main.ts'))).toBe(true);
  });

  it('holds no secret and copies only sources that exist and the build context keeps', () => {
    const dockerignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const stage of stages) {
      expect(keyword(stage, 'ADD')).toEqual([]);
      for (const setting of [...keyword(stage, 'ENV'), ...keyword(stage, 'ARG')].map(args)) {
        expect(setting).not.toMatch(/PASSWORD|SECRET|TOKEN|PRIVATE|API_KEY|DATABASE_URL|\.env/i);
      }
      for (const copy of keyword(stage, 'COPY').filter((c) => !fromFlag(c))) {
        const sources = args(copy).split(/\s+/).slice(0, -1);
        for (const source of sources) {
          expect(existsSync(path.join(ROOT, source))).toBe(true);
          expect(dockerignore).not.toContain(source);
        }
      }
    }
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, local state and dependencies out of every build context', () => {
    const lines = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(lines).toEqual(expect.arrayContaining(['.env', '.git', 'node_modules', 'dist', '**/*.pem', '**/*.key']));
  });
});
