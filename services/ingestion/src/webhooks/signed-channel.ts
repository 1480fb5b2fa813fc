import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Channel } from '@leadline/contracts';
import type { FastifyRequest } from 'fastify';
import { AccountDirectory, type RoutedChannel } from '../account-directory/account-directory.service';
import { rawBodyOf } from '../http/body-parsers';
import { badSignature } from '../http/field-errors';
import { IngestionConfig } from '../ingestion.config';
import { SIGNATURE_HEADER, signatureProblem, verifyChannelSignature } from './channel-signature';

/** Finds the channel a signed webhook is for (404 when no account has it) and checks its signature (403). */
@Injectable()
export class SignedChannel {
  constructor(private readonly accounts: AccountDirectory, private readonly config: IngestionConfig) {}

  /**
   * `basicAuth`: also accept HTTP Basic credentials whose password is the channel's secret, for providers that
   * cannot sign but put credentials in the webhook URL (Postmark's inbound webhook).
   */
  async verify(request: FastifyRequest, kind: Channel, address: string, options: { basicAuth?: boolean } = {}): Promise<RoutedChannel> {
    const routed = await this.accounts.route(kind, address);
    const secret = routed.channel.authToken;
    if (!secret) throw badSignature(`the ${kind} channel ${address} has no signing secret: set its authToken in the account's channels`);
    if (options.basicAuth && request.headers[SIGNATURE_HEADER] === undefined && request.headers.authorization) {
      if (basicPasswordMatches(request.headers.authorization, secret)) return routed;
      throw badSignature('the Basic credentials do not match: the password must be the channel\'s secret');
    }
    const header = request.headers[SIGNATURE_HEADER];
    const verdict = verifyChannelSignature(
      secret, rawBodyOf(request) ?? Buffer.alloc(0), Array.isArray(header) ? header[0] : header,
      Math.floor(Date.now() / 1000), this.config.WEBHOOK_TOLERANCE_SECONDS,
    );
    if (verdict !== 'valid') throw badSignature(signatureProblem(verdict));
    return routed;
  }
}

function basicPasswordMatches(authorization: string, secret: string): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(authorization);
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  // Compare digests: equal lengths for timingSafeEqual, and no early exit on the first differing byte.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return decoded.includes(':') && timingSafeEqual(digest(password), digest(secret));
}
