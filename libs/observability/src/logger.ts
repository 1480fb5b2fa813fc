import type { LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';

let destination: DestinationStream | undefined;

/**
 * Where loggers created from now on write; undefined (the default) is stdout. Tests read what services log
 * through it (test/private-data.e2e-test.ts checks no secret or personal data is ever written).
 */
export function setLogDestination(stream: DestinationStream | undefined): void {
  destination = stream;
}

/** Structured JSON logs with the active trace and span ids, so a log line leads to its trace. */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    // Secrets never reach a log line, at the top level or one level down (issue 8).
    redact: {
      paths: [
        'authToken', 'identitySecret', 'password', 'apiKey', 'token', 'key', 'authorization',
        '*.authToken', '*.identitySecret', '*.password', '*.apiKey', '*.token', '*.key', '*.authorization',
        'req.headers.authorization', 'req.headers["x-twilio-signature"]', 'headers.authorization', 'headers.cookie',
      ],
      remove: true,
    },
    mixin() {
      const context = trace.getActiveSpan()?.spanContext();
      return context ? { trace_id: context.traceId, span_id: context.spanId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Nest's logger interface on top of pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, stack: trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
