import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kustomizeRenderer, renderKustomization, type Manifest } from './kustomize';
import { configVariables, RUNTIME_VARIABLES, SERVICES } from './service-catalogue';

const K8S = path.resolve(__dirname, '../k8s');

/**
 * Kubernetes' published OpenAPI schemas, compiled to ajv validators by kubernetes-models (Kubernetes 1.3x) and
 * @kubernetes-models/prometheus-operator (the ServiceMonitor CRD's schema).
 */
interface Validatable { validate(): void }
const MODELS: Record<string, new (data: never) => Validatable> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'batch/v1/Job': Job,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

function validate(manifest: Manifest): void {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no published schema wired for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const byKind = (manifests: Manifest[], kind: string): Json[] => manifests.filter((m) => m.kind === kind) as Json[];
const find = (manifests: Manifest[], kind: string, name: string): Json => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as Json;
};
const includesLabels = (labels: Record<string, string>, selector: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const rendered = {
  base: renderKustomization(path.join(K8S, 'base')),
  dev: renderKustomization(path.join(K8S, 'overlays/dev')),
  prod: renderKustomization(path.join(K8S, 'overlays/prod')),
};

describe.each(Object.entries(rendered))('the %s manifests', (environment, manifests) => {
  it('each validates against the published Kubernetes (and prometheus-operator) schema', () => {
    expect(manifests.length).toBe(2 + SERVICES.length * 6);
    for (const manifest of manifests) {
      expect(() => validate(manifest)).not.toThrow();
    }
  });

  it('hold no Secret: only references to ones created outside, all documented in secrets.md', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const documented = readFileSync(path.join(K8S, 'secrets.md'), 'utf8');
    const references = JSON.stringify(manifests).matchAll(/"secretKeyRef":\{"name":"([^"]+)","key":"([^"]+)"/g);
    for (const [, name, key] of references) expect(documented).toContain(`\`${name}\` / \`${key}\``);
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))('run %s with probes, limits, a non-root user and its own port', (name, definition) => {
    const deployment = find(manifests, 'Deployment', name);
    const pod = deployment['spec']['template'];
    const [container] = pod['spec']['containers'];
    expect(container['ports']).toEqual([{ name: 'http', containerPort: definition.defaultPort, protocol: 'TCP' }]);
    expect(container['startupProbe']['httpGet']).toEqual({ path: '/health/live', port: 'http' });
    expect(container['livenessProbe']['httpGet']).toEqual({ path: '/health/live', port: 'http' });
    expect(container['readinessProbe']['httpGet']).toEqual({ path: '/health/ready', port: 'http' });
    expect(container['resources']['requests']).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container['resources']['limits']['memory']).toEqual(expect.any(String));
    expect(container['securityContext']).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(container['image']).toMatch(new RegExp(`(^|/)leadline/${name}:`));
    expect(includesLabels(pod['metadata']['labels'], deployment['spec']['selector']['matchLabels'])).toBe(true);
    if (environment !== 'base') expect(deployment['metadata']['namespace']).toMatch(/^leadline/);

    const service = find(manifests, 'Service', name);
    expect(includesLabels(pod['metadata']['labels'], service['spec']['selector'])).toBe(true);
    expect(service['spec']['ports']).toEqual([{ name: 'http', port: definition.defaultPort, targetPort: 'http', protocol: 'TCP' }]);
    const hpa = find(manifests, 'HorizontalPodAutoscaler', name);
    expect(hpa['spec']['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(hpa['spec']['minReplicas']).toBeLessThanOrEqual(hpa['spec']['maxReplicas']);
    expect(deployment['spec']['replicas']).toBeUndefined(); // the HPA owns the count
    expect(includesLabels(pod['metadata']['labels'], find(manifests, 'PodDisruptionBudget', name)['spec']['selector']['matchLabels'])).toBe(true);
    const policy = find(manifests, 'NetworkPolicy', name);
    expect(includesLabels(pod['metadata']['labels'], policy['spec']['podSelector']['matchLabels'])).toBe(true);
    expect(policy['spec']['policyTypes']).toEqual(['Ingress', 'Egress']);
    const egressPorts = policy['spec']['egress'].flatMap((rule: Json) => rule['ports'].map((p: Json) => p['port']));
    expect(egressPorts).toEqual(expect.arrayContaining([53, 4222, 5432]));
    // Nothing reaches a service from another service's pods: only the ingress controller and Prometheus.
    const sources = policy['spec']['ingress'].flatMap((rule: Json) => rule['from']);
    expect(sources.every((from: Json) => from['namespaceSelector'] && !from['podSelector'])).toBe(true);
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))('give %s every variable its config requires, and no unknown one', (name, definition) => {
    const configMap = find(manifests, 'ConfigMap', 'leadline-config');
    const [container] = find(manifests, 'Deployment', name)['spec']['template']['spec']['containers'];
    const given = new Set([...Object.keys(configMap['data']), ...container['env'].map((e: Json) => e['name'])]);
    const { all, required } = configVariables(definition);
    expect([...required]).toEqual(expect.arrayContaining(['DATABASE_URL', 'NATS_URL', 'SESSION_PUBLIC_KEY']));
    expect([...given].filter((variable) => !all.has(variable) && !RUNTIME_VARIABLES.has(variable))).toEqual([]);
    expect([...required].filter((variable) => !given.has(variable))).toEqual([]);
  });

  it.each(SERVICES.map((s) => [s.name] as const))('migrate %s with a Job running the same image and settings', (name) => {
    const [container] = find(manifests, 'Deployment', name)['spec']['template']['spec']['containers'];
    const job = find(manifests, 'Job', `${name}-migrate`);
    const [migrate] = job['spec']['template']['spec']['containers'];
    expect(migrate['image']).toBe(container['image']);
    expect(migrate['env']).toEqual([...container['env'], { name: 'MIGRATE_ONLY', value: 'true' }]);
    expect(migrate['envFrom']).toEqual(container['envFrom']);
    expect(job['spec']['template']['spec']['restartPolicy']).toBe('Never');
    expect(migrate['securityContext']['runAsNonRoot']).toBe(true);
  });

  it('let Prometheus scrape every service on /metrics', () => {
    const [monitor] = byKind(manifests, 'ServiceMonitor');
    expect(monitor!['spec']['endpoints']).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    for (const service of byKind(manifests, 'Service')) {
      expect(includesLabels(service['metadata']['labels'], monitor!['spec']['selector']['matchLabels'])).toBe(true);
    }
  });
});

describe('the overlays', () => {
  it('dev runs one small replica per service with debug logs, from the dev images', () => {
    const config = find(rendered.dev, 'ConfigMap', 'leadline-config');
    expect(config['data']).toMatchObject({ LOG_LEVEL: 'debug', NATS_STREAM_REPLICAS: '1' });
    expect(byKind(rendered.dev, 'HorizontalPodAutoscaler').every((hpa) => hpa['spec']['minReplicas'] === 1)).toBe(true);
    expect(find(rendered.dev, 'Deployment', 'leads')['spec']['template']['spec']['containers'][0]['image']).toBe('registry.example.com/leadline/leads:dev');
  });

  it('prod replicates streams three times, keeps three pods, gives ingestion more room and pins images', () => {
    const config = find(rendered.prod, 'ConfigMap', 'leadline-config');
    expect(config['data']['NATS_STREAM_REPLICAS']).toBe('3');
    expect(config['data']['NATS_URL'].split(',')).toHaveLength(3);
    expect(byKind(rendered.prod, 'HorizontalPodAutoscaler').every((hpa) => hpa['spec']['minReplicas'] === 3)).toBe(true);
    const [ingestion] = find(rendered.prod, 'Deployment', 'ingestion')['spec']['template']['spec']['containers'];
    expect(ingestion['resources']['requests']).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(ingestion['readinessProbe']['httpGet']['path']).toBe('/health/ready'); // the patch merged, not replaced
    expect(ingestion['image']).toBe('registry.example.com/leadline/ingestion:1.0.0');
    expect(rendered.prod.every((m) => m.metadata.namespace === 'leadline')).toBe(true);
  });
});

describe('the validation itself', () => {
  it('rejects manifests the schemas forbid', () => {
    const deployment = find(rendered.base, 'Deployment', 'leads') as Manifest;
    expect(() => validate({ ...deployment, spec: { ...(deployment as Json)['spec'], replicas: 'two' } })).toThrow(/replicas/);
    const [monitor] = byKind(rendered.base, 'ServiceMonitor') as Manifest[];
    expect(() => validate({ ...monitor!, spec: { endpoints: 'http' } })).toThrow(/endpoints|selector/);
    const hpa = find(rendered.base, 'HorizontalPodAutoscaler', 'leads') as Manifest;
    expect(() => validate({ ...hpa, spec: { ...(hpa as Json)['spec'], metrics: [{ type: 'Resource', resource: { name: 'cpu' } }] } })).toThrow(/target/);
    expect(() => validate({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toThrow(/no published schema/);
  });

  it('renders with kustomize itself, as `kubectl apply -k` does', () => {
    const renderer = kustomizeRenderer();
    expect(renderer.version).toMatch(/^v?([4-9]|\d{2,})\./);
    // Overlays really change what the base renders (namespace, images, strategic-merge patches).
    expect(rendered.base.every((m) => m.metadata.namespace === undefined)).toBe(true);
    expect(rendered.dev).not.toEqual(rendered.prod);
  });
});
