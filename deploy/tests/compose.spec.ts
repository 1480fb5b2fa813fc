import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configVariables, SERVICES } from './service-catalogue';

/**
 * `docker compose config` is not available where tests run: the file is parsed (YAML merge keys resolved
 * as Compose does) and checked for what `docker compose up` relies on.
 */
const ROOT = path.resolve(__dirname, '../..');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const readYaml = (file: string): Json => parse(readFileSync(path.join(ROOT, file), 'utf8'), { merge: true }) as Json;

const compose = readYaml('docker-compose.yml');
const services = compose['services'] as Record<string, Json>;

/** `./deploy/x:/etc/y:ro` -> `deploy/x`. */
const hostPaths = (service: Json): string[] => (service['volumes'] ?? [])
  .map((volume: string) => volume.split(':')[0]!)
  .filter((source: string) => source.startsWith('./'))
  .map((source: string) => source.slice(2));

describe('docker-compose.yml', () => {
  it('runs the infrastructure, the telemetry stack and all six services', () => {
    expect(Object.keys(services).sort()).toEqual([
      'grafana', 'jaeger', 'nats', 'otel-collector', 'postgres', 'prometheus', ...SERVICES.map((s) => s.name),
    ].sort());
    expect(services['nats']!['command']).toEqual(expect.arrayContaining(['-js']));
    expect(services['postgres']!['image']).toMatch(/^postgres:15/);
    for (const service of Object.values(services)) {
      if (service['image']) expect(service['image']).not.toMatch(/:latest$/);
      for (const source of hostPaths(service)) expect(existsSync(path.join(ROOT, source))).toBe(true);
    }
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))('builds and wires %s', (name, definition) => {
    const service = services[name]!;
    expect(service['build']).toEqual({ context: '.', dockerfile: `services/${name}/Dockerfile` });
    expect(existsSync(path.join(ROOT, service['build']['dockerfile']))).toBe(true);
    expect(service['ports']).toEqual([`${definition.defaultPort}:${definition.defaultPort}`]);
    const env = service['environment'] as Record<string, string>;
    expect(env['PORT']).toBe(String(definition.defaultPort));
    expect(env['NATS_URL']).toBe('nats://nats:4222');
    expect(new URL(env['DATABASE_URL']!).hostname).toBe('postgres');
    expect(env['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('http://otel-collector:4318');
    expect(service['depends_on']).toMatchObject({ nats: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
    expect(service['healthcheck']['test'].join(' ')).toContain('/health/ready');
    const { required } = configVariables(definition);
    expect([...required].filter((variable) => env[variable] === undefined)).toEqual([]);
    // Secrets come from .env (deploy/compose/dev-secrets.js), never from the file itself.
    for (const [variable, value] of Object.entries(env)) {
      if (/KEY|SECRET|PASSWORD|TOKEN/.test(variable)) expect(value).toMatch(/^\$\{[A-Z0-9_]+:\?/);
    }
  });

  it('sends traces through the collector to Jaeger', () => {
    const [config] = hostPaths(services['otel-collector']!);
    const collector = readYaml(config!);
    const traces = collector['service']['pipelines']['traces'];
    expect(traces['receivers']).toEqual(['otlp']);
    expect(collector['receivers']['otlp']['protocols']['http']['endpoint']).toMatch(/:4318$/);
    const [exporter] = traces['exporters'];
    expect(collector['exporters'][exporter]['endpoint']).toBe('jaeger:4317');
    expect(services['otel-collector']!['command']).toEqual([`--config=${services['otel-collector']!['volumes'][0].split(':')[1]}`]);
  });

  it('has Prometheus scrape every service on /metrics', () => {
    const [config] = hostPaths(services['prometheus']!);
    const prometheus = readYaml(config!);
    const [job] = prometheus['scrape_configs'];
    expect(job['metrics_path']).toBe('/metrics');
    const targets = job['static_configs'].flatMap((c: Json) => c['targets']);
    expect(targets.sort()).toEqual(SERVICES.map((s) => `${s.name}:${s.defaultPort}`).sort());
  });

  it('provisions Grafana with Prometheus, Jaeger and the Leadline dashboard', () => {
    const [provisioning, dashboards] = hostPaths(services['grafana']!);
    const datasources = readYaml(`${provisioning}/datasources/datasources.yaml`)['datasources'] as Json[];
    expect(datasources.map((d) => [d['type'], d['url']])).toEqual([['prometheus', 'http://prometheus:9090'], ['jaeger', 'http://jaeger:16686']]);
    const provider = readYaml(`${provisioning}/dashboards/dashboards.yaml`)['providers'][0];
    const mountedAt = services['grafana']!['volumes'].find((v: string) => v.startsWith(`./${dashboards}:`)).split(':')[1];
    expect(provider['options']['path']).toBe(mountedAt);
    expect(readdirSync(path.join(ROOT, dashboards!))).toContain('leadline.json');
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'deploy/grafana/dashboards/leadline.json'), 'utf8')) as Json;
  const expressions: string[] = dashboard['panels'].flatMap((panel: Json) => (panel['targets'] ?? []).map((t: Json) => t['expr']));

  it('charts the pipeline latency, consumers, lag, DLQ and HTTP', () => {
    const titles = dashboard['panels'].map((panel: Json) => panel['title']);
    expect(titles).toEqual(expect.arrayContaining(['Message to notification latency', 'Events consumed', 'Consumer lag', 'DLQ depth', 'Requests', 'Errors (5xx ratio)', 'Duration p95']));
    expect(new Set(dashboard['panels'].map((panel: Json) => panel['id'])).size).toBe(dashboard['panels'].length);
  });

  it('queries only metrics the services define', () => {
    const sources = [
      'libs/messaging/src/messaging.metrics.ts', 'libs/observability/src/metrics/http-metrics.ts', 'libs/observability/src/metrics/pipeline-metrics.ts',
    ].map((file) => readFileSync(path.join(ROOT, file), 'utf8')).join('\n');
    const names = new Set(expressions.flatMap((expr) => expr.match(/leadline_[a-z_]+/g) ?? []));
    expect(names.size).toBeGreaterThanOrEqual(9);
    for (const name of names) expect(sources).toContain(`'${name.replace(/_(bucket|count|sum)$/, '')}'`);
  });
});
