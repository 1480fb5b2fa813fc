import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, registerDecorator, validateSync,
} from 'class-validator';
import { readPublicKey } from './access/access-token';

/** A config value that must parse as an Ed25519 public key (PEM, or base64 DER SPKI). */
function IsEd25519PublicKey(): PropertyDecorator {
  return (target, propertyName) => registerDecorator({
    name: 'isEd25519PublicKey', target: target.constructor, propertyName: propertyName as string,
    options: { message: 'must be an Ed25519 public key: PEM, or base64 DER (SPKI), as accounts prints it' },
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && readPublicKey(value) !== undefined;
        } catch {
          return false;
        }
      },
    },
  });
}

/** What every service needs; each service extends it with its own variables. */
export class BaseServiceConfig {
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/leadline' })
  DATABASE_URL!: string;

  @Matches(/^(nats|tls|ws|wss):\/\/\S+(,\s*(nats|tls|ws|wss):\/\/\S+)*$/, { message: 'must be a nats:// URL (comma-separated for a cluster), e.g. nats://127.0.0.1:4222' })
  NATS_URL!: string;

  /** This service's own NATS user (deploy/nats/nats-server.conf); unset where NATS takes anonymous clients. */
  @IsOptional() @Matches(/^[a-zA-Z0-9_-]{1,64}$/, { message: 'must be a NATS user name such as "leads"' })
  NATS_USER?: string;

  @IsOptional() @IsString()
  NATS_PASSWORD?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString()
  HOST: string = '0.0.0.0';

  @IsOptional() @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case PostgreSQL schema name' })
  DB_SCHEMA?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  DB_POOL_SIZE: number = 10;

  @IsOptional() @Matches(/^[a-zA-Z0-9_-]*$/, { message: 'may only hold letters, digits, "_" and "-"' })
  NATS_SUBJECT_PREFIX: string = '';

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5)
  NATS_STREAM_REPLICAS: number = 1;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  CONSUMER_MAX_DELIVER: number = 5;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  CONSUMER_BATCH_SIZE: number = 64;

  /** 2: see libs/messaging/README.md, Lanes (fewer, fuller batches measured faster than 4 on two cores). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64)
  CONSUMER_CONCURRENCY: number = 2;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3_600_000)
  CONSUMER_RETRY_BASE_MS: number = 500;

  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(60_000)
  OUTBOX_POLL_MS: number = 500;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Verifies the session and system tokens accounts signs; every service holds it, none calls accounts. */
  @IsEd25519PublicKey()
  SESSION_PUBLIC_KEY!: string;

  /** Public web chat endpoints: messages per minute per widget, and per device of a widget (per replica). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_WEBCHAT_WIDGET_PER_MINUTE: number = 1200;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_WEBCHAT_DEVICE_PER_MINUTE: number = 30;

  /** Personal data (emails, phones, message text) in logs and spans only when an operator turns it on. */
  @IsOptional() @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  LOG_PERSONAL_DATA: boolean = false;

  /** Where people open a conversation: links in notifications. */
  @IsOptional() @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  PUBLIC_APP_URL: string = 'http://localhost:3000';
}

/** Variables whose value a configuration error never repeats (it would land in logs). */
const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN|SHA256/;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks environment variables; a missing or bad value throws naming the variable. */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const raw = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(schema, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((error) => {
      const reasons = Object.values(error.constraints ?? {}).join(', ');
      const given = error.value === undefined ? 'not set' : SECRET_NAME.test(error.property) ? 'value hidden' : `got "${String(error.value)}"`;
      return `${error.property}: ${reasons} (${given})`;
    }));
  }
  return config;
}
