import {
  applyDecorators, HttpException, Inject, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { ACCESS_OPTIONS, type AccessOptions } from './access.options';

/** A bucket holds a minute's worth of tokens: after a minute untouched it is full again. */
const REFILL_MS = 60_000;

/**
 * Token buckets in memory, per process. Written by hand rather than @fastify/rate-limit: the keys come from the
 * parsed body (widget key, device id), which that plugin only sees before the body is parsed, and a bucket map
 * is a few lines. Each replica limits on its own, so the effective limit is the configured one times replicas.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number, private readonly maxKeys = 100_000) {}

  /** Takes one token for the key; returns the seconds to wait when there is none. */
  take(key: string, now = Date.now()): number | undefined {
    const ratePerMs = this.perMinute / REFILL_MS;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / ratePerMs / 1000);
    bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.forgetIdle(now);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return undefined;
  }

  /**
   * A bucket untouched for a minute has refilled: it is the same as none, so it is dropped. The map is in order of
   * last use, so the idle ones are at its front; memory follows the keys of the last minute, not every key seen.
   */
  private forgetIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at < REFILL_MS) return;
      this.buckets.delete(key);
    }
  }

  /** How many keys have a bucket (a test watches memory by it). */
  get size(): number {
    return this.buckets.size;
  }
}

const WEBCHAT_RATE_LIMIT = 'leadline:webchat-rate-limit';
/** Set on a request once its tokens are taken: a guard listed twice (a repeated decorator) must not charge it twice. */
const LIMITED = Symbol('leadline:webchat-rate-limited');

interface KeyedRequest {
  body?: unknown;
  query?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  [LIMITED]?: true;
}

export interface WebchatRateLimitOptions {
  /**
   * For endpoints that name the device by a visitor session header instead of `widgetKey` + `deviceId` (reading
   * the widget's conversation, ending its session): the header's value keys the per-device bucket.
   */
  deviceHeader?: string;
}

function headerKey(request: KeyedRequest, name: string | undefined): string | undefined {
  const value = name ? request.headers?.[name] : undefined;
  const text = Array.isArray(value) ? value[0] : value;
  // Hashed: the bucket map must not keep live session tokens in memory longer than they are used.
  return text ? `${name}\u0000${createHash('sha256').update(text).digest('hex')}` : undefined;
}

function field(request: KeyedRequest, name: string): string | undefined {
  for (const source of [request.body, request.query]) {
    if (typeof source === 'object' && source !== null) {
      const value = (source as Record<string, unknown>)[name];
      if (typeof value === 'string' && value.length > 0 && value.length <= 320) return value;
    }
  }
  return undefined;
}

@Injectable()
export class WebchatRateLimitGuard implements CanActivate {
  private readonly widgets: TokenBuckets;
  private readonly devices: TokenBuckets;

  constructor(private readonly reflector: Reflector, @Inject(ACCESS_OPTIONS) options: AccessOptions) {
    this.widgets = new TokenBuckets(options.rateLimits.webchatWidgetPerMinute);
    this.devices = new TokenBuckets(options.rateLimits.webchatDevicePerMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    const options = this.reflector.get<WebchatRateLimitOptions | undefined>(WEBCHAT_RATE_LIMIT, context.getHandler());
    if (!options) return true;
    const request = context.switchToHttp().getRequest<KeyedRequest>();
    if (request[LIMITED]) return true;
    request[LIMITED] = true;
    const widgetKey = field(request, 'widgetKey');
    const deviceId = field(request, 'deviceId');
    const device = widgetKey && deviceId ? `${widgetKey}\u0000${deviceId}` : headerKey(request, options.deviceHeader);
    // The device first: a device past its own limit is refused without spending its widget's budget, so one
    // flooding visitor cannot lock every other visitor of the widget out.
    const wait = (device ? this.devices.take(device) : undefined) ?? (widgetKey ? this.widgets.take(widgetKey) : undefined);
    if (wait === undefined) return true;
    context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>().header('retry-after', String(wait));
    throw new HttpException({
      statusCode: 429, error: 'Too Many Requests',
      message: `too many messages from this widget or device; retry in ${wait} s`,
    }, 429);
  }
}

/**
 * Limits a public web chat endpoint per widget (`widgetKey`) and per device (`deviceId`), read from the body or
 * the query, or per visitor session (`deviceHeader`); limits come from RATE_LIMIT_WEBCHAT_WIDGET_PER_MINUTE and
 * RATE_LIMIT_WEBCHAT_DEVICE_PER_MINUTE. A request that names neither is not limited here.
 */
export const WebchatRateLimit = (options: WebchatRateLimitOptions = {}): MethodDecorator =>
  applyDecorators(SetMetadata(WEBCHAT_RATE_LIMIT, options), UseGuards(WebchatRateLimitGuard));
