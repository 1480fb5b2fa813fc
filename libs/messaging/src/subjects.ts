import { STREAMS, type StreamName } from '@leadline/contracts';

/** Subjects and streams carry an optional prefix so deployments and test runs never see each other. */
export class SubjectNaming {
  constructor(private readonly prefix: string = '') {
    if (prefix && !/^[a-zA-Z0-9_-]+$/.test(prefix)) {
      throw new Error(`subject prefix "${prefix}" may only hold letters, digits, "_" and "-"`);
    }
  }

  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  /** The subject without the deployment prefix: the event's type. */
  unprefixed(subject: string): string {
    return this.prefix && subject.startsWith(`${this.prefix}.`) ? subject.slice(this.prefix.length + 1) : subject;
  }

  stream(stream: StreamName | 'DLQ'): string {
    return this.prefix ? `${this.prefix}_${stream}` : stream;
  }

  streamSubjects(stream: StreamName | 'DLQ'): string[] {
    const root = stream === 'DLQ' ? 'dlq' : STREAMS[stream];
    return [this.subject(`${root}.>`)];
  }

  deadLetterSubject(consumer: string): string {
    return this.subject(`dlq.${consumer}`);
  }
}
