import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, type AsyncAPIDocumentInterface, type Diagnostic } from '@asyncapi/parser';
import { getMetadataStorage } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import * as contracts from './index';
import { EVENT_CATALOGUE } from './catalogue';
import type { EventDefinition } from './event-definition';

/**
 * libs/contracts/asyncapi.yaml is the published form of EVENT_CATALOGUE. These tests keep the two equal: every
 * subject has a channel and every channel a subject, and every payload schema has the properties and required
 * fields the class-validator rules of its class have (nested DTOs included).
 */

const SPEC_PATH = join(__dirname, '..', 'asyncapi.yaml');
const DLQ_ADDRESS = 'dlq.{consumer}';
const SEVERITY_ERROR = 0;

/** The nested DTOs that components/schemas holds under their class names. */
const SHARED_DTOS = [
  'ContactSnapshotDto', 'ExtractedFieldsDto', 'ExtractedValueDto', 'FieldEvidenceDto', 'QualificationSignalsDto',
  'IdentifierDto', 'TranscriptMessageDto', 'CaptureSettingsDto', 'ChannelSettingDto', 'MatchEvidenceDto',
] as const;

type Constructor = abstract new (...args: never[]) => object;

interface ClassRules {
  properties: string[];
  required: string[];
}

/** The validated properties of a class (inherited ones too) and those without IsOptional/ValidateIf. */
function rulesOf(target: Constructor): ClassRules {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target as Function, '', true, false);
  const properties = [...new Set(metadatas.map((metadata) => metadata.propertyName))].sort();
  const optional = new Set(
    metadatas.filter((metadata) => metadata.type === 'conditionalValidation').map((metadata) => metadata.propertyName),
  );
  return { properties, required: properties.filter((property) => !optional.has(property)) };
}

function difference(label: string, schema: readonly string[], code: readonly string[]): string[] {
  const inSchema = new Set(schema);
  const inCode = new Set(code);
  const missing = code.filter((name) => !inSchema.has(name));
  const extra = schema.filter((name) => !inCode.has(name));
  if (missing.length === 0 && extra.length === 0) return [];
  const parts = [
    missing.length > 0 ? `missing in asyncapi.yaml: ${missing.join(', ')}` : '',
    extra.length > 0 ? `not in the class: ${extra.join(', ')}` : '',
  ].filter(Boolean);
  return [`${label}: ${parts.join('; ')}`];
}

function compare(label: string, schema: { properties?: string[]; required?: string[] }, rules: ClassRules): string[] {
  return [
    ...difference(`${label} properties`, schema.properties ?? [], rules.properties),
    ...difference(`${label} required`, schema.required ?? [], rules.required),
  ];
}

describe('asyncapi.yaml', () => {
  const text = readFileSync(SPEC_PATH, 'utf8');
  let document: AsyncAPIDocumentInterface;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    const result = await new Parser().parse(text);
    diagnostics = result.diagnostics;
    if (!result.document) {
      const errors = diagnostics.filter((diagnostic) => diagnostic.severity === SEVERITY_ERROR);
      throw new Error(`asyncapi.yaml does not parse:\n${errors.map((e) => `${e.path.join('.')}: ${e.message}`).join('\n')}`);
    }
    document = result.document;
  });

  it('is a valid AsyncAPI 3.0.0 document', () => {
    const errors = diagnostics
      .filter((diagnostic) => diagnostic.severity === SEVERITY_ERROR)
      .map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(document.version()).toBe('3.0.0');
    expect(document.servers().get('nats')?.protocol()).toBe('nats');
  });

  it('has a channel for every catalogue subject, and no channel without one (but the DLQ)', () => {
    const subjects = EVENT_CATALOGUE.map((definition) => definition.subject);
    const addresses = document.channels().all().map((channel) => channel.address() ?? `(channel ${channel.id()} has no address)`);
    const withoutChannel = subjects.filter((subject) => !addresses.includes(subject)).map((subject) => `${subject}: no channel`);
    const withoutEvent = addresses
      .filter((address) => address !== DLQ_ADDRESS && !subjects.includes(address))
      .map((address) => `${address}: channel for no catalogue event`);
    const duplicated = addresses
      .filter((address, index) => addresses.indexOf(address) !== index)
      .map((address) => `${address}: more than one channel`);
    expect([...withoutChannel, ...withoutEvent, ...duplicated]).toEqual([]);
    expect(addresses).toContain(DLQ_ADDRESS);
  });

  it.each(EVENT_CATALOGUE.map((definition) => [definition.subject, definition] as const))(
    '%s: the message payload mirrors the class-validator rules of its class',
    (subject: string, definition: EventDefinition) => {
      const channel = document.channels().all().find((candidate) => candidate.address() === subject);
      if (!channel) throw new Error(`${subject}: no channel`);
      const messages = channel.messages().all();
      expect(messages.map((message) => `${subject}: ${message.id()}`)).toHaveLength(1);
      const message = messages[0]!;
      const payload = message.payload();
      if (!payload) throw new Error(`${subject}: message ${message.id()} has no payload`);

      const problems = compare(subject, {
        properties: Object.keys(payload.properties() ?? {}).sort(),
        required: [...(payload.required() ?? [])].sort(),
      }, rulesOf(definition.payload));

      // The message's ce-type and ce-source are those of the definition.
      const headerParts = message.headers()?.allOf() ?? [];
      const pinned = (name: string) => headerParts.map((part) => part.properties()?.[name]?.const()).find((value) => value !== undefined);
      if (pinned('ce-type') !== definition.type) problems.push(`${subject}: ce-type is ${String(pinned('ce-type'))}, expected ${definition.type}`);
      if (pinned('ce-source') !== definition.source) problems.push(`${subject}: ce-source is ${String(pinned('ce-source'))}, expected ${definition.source}`);

      // Leadline sends what it publishes; it receives the broadcast system's events.
      const expectedAction = definition.stream === 'BROADCASTS' ? 'receive' : 'send';
      const actions = document.operations().all()
        .filter((operation) => operation.channels().all().some((candidate) => candidate.address() === subject))
        .map((operation) => operation.action());
      if (actions.length !== 1 || actions[0] !== expectedAction) {
        problems.push(`${subject}: operations [${actions.join(', ')}], expected one ${expectedAction}`);
      }
      expect(problems).toEqual([]);
    },
  );

  it('holds the shared DTOs under components/schemas, mirroring their class-validator rules', () => {
    const raw = parseYaml(text) as { components?: { schemas?: Record<string, { properties?: object; required?: string[] }> } };
    const schemas = raw.components?.schemas ?? {};
    const classes = contracts as unknown as Record<string, Constructor | undefined>;
    const problems = SHARED_DTOS.flatMap((name) => {
      const schema = schemas[name];
      const target = classes[name];
      if (!target) return [`${name}: not exported by @leadline/contracts`];
      if (!schema) return [`${name}: missing under components/schemas`];
      return compare(name, {
        properties: Object.keys(schema.properties ?? {}).sort(),
        required: [...(schema.required ?? [])].sort(),
      }, rulesOf(target));
    });
    expect(problems).toEqual([]);
  });

  it('documents the dead-letter channel and its headers', () => {
    const channel = document.channels().all().find((candidate) => candidate.address() === DLQ_ADDRESS);
    expect(channel).toBeDefined();
    const headers = channel!.messages().all()[0]?.headers();
    expect(Object.keys(headers?.properties() ?? {})).toEqual(expect.arrayContaining([
      'Leadline-Dlq-Error', 'Leadline-Dlq-Subject', 'Leadline-Dlq-Consumer', 'Leadline-Dlq-Stream',
      'Leadline-Dlq-Stream-Seq', 'Leadline-Dlq-Deliveries', 'Leadline-Dlq-Time',
    ]));
  });
});
