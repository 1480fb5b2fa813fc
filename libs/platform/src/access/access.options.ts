import type { KeyObject } from 'node:crypto';

export const ACCESS_OPTIONS = Symbol('ACCESS_OPTIONS');

export interface AccessOptions {
  /** Verifies session and system tokens signed by accounts (SESSION_PUBLIC_KEY). */
  sessionPublicKey: KeyObject;
  rateLimits: {
    webchatWidgetPerMinute: number;
    webchatDevicePerMinute: number;
  };
}
