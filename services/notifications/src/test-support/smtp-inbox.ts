import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that parses every mail it accepts; it can be told to refuse the next ones. */
export class SmtpInbox {
  readonly mails: ParsedMail[] = [];
  /** How many of the next mails to refuse with a 451 (a temporary failure, as a busy server answers). */
  refuseNext = 0;
  refused = 0;
  /** Take mails in and never answer: a server that hangs (the sender's timeout ends it). */
  hang = false;
  /** Mails that arrived while hanging. */
  held = 0;
  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  static async start(): Promise<SmtpInbox> {
    let inbox: SmtpInbox | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'], // loopback: plain SMTP
      logger: false,
      onData(stream, _session, callback) {
        if (inbox?.hang) {
          inbox.held += 1;
          stream.resume(); // read it all, answer nothing
          return;
        }
        if (inbox && inbox.refuseNext > 0) {
          inbox.refuseNext -= 1;
          inbox.refused += 1;
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 })));
          return;
        }
        simpleParser(stream).then((mail) => {
          inbox?.mails.push(mail);
          callback();
        }, (error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    inbox = new SmtpInbox(server, (server.server.address() as AddressInfo).port);
    return inbox;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
