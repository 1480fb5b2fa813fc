import type { ClassConstructor } from 'class-transformer';

/** The JetStream streams, one per publishing service (DESIGN.md, Events). */
export const STREAMS = {
  ACCOUNTS: 'accounts',
  CONVERSATIONS: 'conversations',
  EXTRACTION: 'extraction',
  IDENTITY: 'identity',
  LEADS: 'leads',
  NOTIFICATIONS: 'notifications',
  /** Published by the external broadcast system; Leadline only consumes it. */
  BROADCASTS: 'broadcasts',
} as const;

export type StreamName = keyof typeof STREAMS;

/** Everything a publisher or consumer needs to know about one event. */
export interface EventDefinition<T extends object = object> {
  /** CloudEvents `ce-type`; equal to the subject (without any deployment prefix). */
  readonly type: string;
  /** `<stream>.v<N>.<entity>.<event>` */
  readonly subject: string;
  readonly stream: StreamName;
  /** CloudEvents `ce-source`: the service that publishes it. */
  readonly source: string;
  readonly version: number;
  readonly payload: ClassConstructor<T>;
  readonly description: string;
}

export type PayloadOf<D> = D extends EventDefinition<infer T> ? T : never;

export function defineEvent<T extends object>(
  stream: StreamName,
  version: number,
  name: string,
  payload: ClassConstructor<T>,
  description: string,
  source: string = STREAMS[stream],
): EventDefinition<T> {
  const subject = `${STREAMS[stream]}.v${version}.${name}`;
  return Object.freeze({ type: subject, subject, stream, source, version, payload, description });
}
