import type { DuplicateCandidate } from './duplicate-candidate';

/** A contact for tests: only the fields a test cares about need be given. */
export function contact(id: string, fields: Partial<DuplicateCandidate> = {}): DuplicateCandidate {
  return { id, emails: [], phones: [], ...fields };
}
