import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization the way `kubectl kustomize` does, for the subset deploy/k8s uses, so tests can
 * validate what a cluster would receive without the kustomize binary (none on CI machines, and no maintained
 * JavaScript port). Supported, and nothing else (anything else throws):
 *   resources   files, or directories holding a kustomization.yaml (recursively)
 *   namespace   set on every namespaced object
 *   images      name -> newName / newTag on containers' images
 *   patches     strategic-merge patch files: matched by kind + metadata.name, or applied to every object of
 *               `target.kind` (the patch's own name is ignored then, as kustomize does). Maps merge deeply;
 *               lists of maps that all carry `name` (containers, env, volumes) merge by name; other lists
 *               are replaced. (Kustomize merges container `ports` by containerPort: the overlays do not patch them.)
 */
export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string; target?: { kind: string } }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

export function readYamlDocuments(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Record<string, unknown>;
  }).filter((doc) => doc !== null);
}

export function renderKustomization(dir: string): Manifest[] {
  const [kustomization] = readYamlDocuments(path.join(dir, 'kustomization.yaml')) as Kustomization[];
  if (!kustomization) throw new Error(`${dir}/kustomization.yaml is empty`);
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${dir}: kustomize-lite does not render ${unsupported.join(', ')}`);

  let manifests: Manifest[] = [];
  for (const resource of kustomization.resources ?? []) {
    const full = path.join(dir, resource);
    manifests.push(...(resource.endsWith('.yaml') ? readYamlDocuments(full) as Manifest[] : renderKustomization(full)));
  }
  for (const patch of kustomization.patches ?? []) {
    for (const doc of readYamlDocuments(path.join(dir, patch.path)) as Manifest[]) {
      const targets = manifests.filter((m) => patch.target
        ? m.kind === patch.target.kind
        : m.kind === doc.kind && m.metadata.name === doc.metadata.name);
      if (targets.length === 0) throw new Error(`${dir}/${patch.path}: patches nothing (${doc.kind} ${doc.metadata.name})`);
      manifests = manifests.map((m) => targets.includes(m)
        ? strategicMerge(m, { ...doc, metadata: { ...doc.metadata, name: m.metadata.name } }) as Manifest
        : m);
    }
  }
  if (kustomization.namespace) {
    manifests = manifests.map((m) => CLUSTER_SCOPED.has(m.kind) ? m : { ...m, metadata: { ...m.metadata, namespace: kustomization.namespace! } });
  }
  for (const image of kustomization.images ?? []) manifests = manifests.map((m) => retagImages(m, image) as Manifest);
  return manifests;
}

export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch) && isNamedList(base) && isNamedList(patch)) {
    const merged = base.map((item) => {
      const match = patch.find((p) => p.name === item.name);
      return match ? strategicMerge(item, match) : item;
    });
    return [...merged, ...patch.filter((p) => !base.some((item) => item.name === p.name))];
  }
  if (isMap(base) && isMap(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) merged[key] = key in base ? strategicMerge(base[key], value) : value;
    return merged;
  }
  return patch;
}

function retagImages(value: unknown, image: { name: string; newName?: string; newTag?: string }): unknown {
  if (Array.isArray(value)) return value.map((item) => retagImages(item, image));
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'image' && typeof inner === 'string') {
      const [name, tag] = splitImage(inner);
      out[key] = name === image.name ? `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}` : inner;
    } else {
      out[key] = retagImages(inner, image);
    }
  }
  return out;
}

function splitImage(image: string): [string, string | undefined] {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamedList(list: unknown[]): list is { name: string }[] {
  return list.length > 0 && list.every((item) => isMap(item) && typeof item['name'] === 'string');
}
