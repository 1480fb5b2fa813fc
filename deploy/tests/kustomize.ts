import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization with kustomize itself, exactly as `kubectl apply -k` would: `kustomize build` when the
 * kustomize binary is on PATH, else `kubectl kustomize` (kubectl embeds kustomize). The machines this project runs
 * on (developers' and CI's) have kubectl in their image; there is no JavaScript port of kustomize to use instead.
 */
export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** `patches:` with a `target` (the overlays use it) needs kustomize 4 or later; Debian's kubectl 1.20 embeds 2.0. */
const OLDEST_KUSTOMIZE_MAJOR = 4;

interface Renderer { command: string; args: (dir: string) => string[]; version: string }

let found: Renderer | undefined;

export function kustomizeRenderer(): Renderer {
  found ??= findRenderer();
  return found;
}

export function renderKustomization(dir: string): Manifest[] {
  const renderer = kustomizeRenderer();
  const output = execFileSync(renderer.command, renderer.args(dir), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(output).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${renderer.command} rendered invalid YAML for ${dir}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Manifest;
  }).filter((manifest) => manifest !== null);
}

function findRenderer(): Renderer {
  const standalone = versionOf('kustomize', ['version']);
  if (standalone) return checked({ command: 'kustomize', args: (dir) => ['build', dir], version: standalone });
  const embedded = versionOf('kubectl', ['version', '--client']);
  if (embedded) return checked({ command: 'kubectl', args: (dir) => ['kustomize', dir], version: embedded });
  throw new Error('neither kustomize nor kubectl is on PATH: the Kubernetes manifests are rendered with kustomize itself. '
    + 'Install kubectl 1.21 or later (it embeds kustomize) or the kustomize binary, then run the tests again.');
}

/** The kustomize version a binary reports (`v5.5.0`, `Kustomize Version: v5.5.0`), or undefined when it is missing. */
function versionOf(command: string, args: string[]): string | undefined {
  let output: string;
  try {
    output = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return undefined;
  }
  const match = command === 'kubectl' ? /Kustomize Version:\s*(\S+)/.exec(output) : /(v?\d+\.\d+\.\d+)/.exec(output);
  return match?.[1] ?? 'unknown';
}

function checked(renderer: Renderer): Renderer {
  const major = Number(/^v?(\d+)\./.exec(renderer.version)?.[1] ?? NaN);
  if (!(major >= OLDEST_KUSTOMIZE_MAJOR)) {
    throw new Error(`${renderer.command} embeds kustomize ${renderer.version}; the overlays need kustomize ${OLDEST_KUSTOMIZE_MAJOR} or later `
      + '(kubectl 1.21 or later, or the kustomize binary)');
  }
  return renderer;
}
