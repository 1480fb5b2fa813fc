import type { IdentityClaim } from './identity-claims';
import { decideIdentity } from './identity-decision';

const email = (value: string, verified = false): IdentityClaim => ({ kind: 'email', value, verified, source: 'test' });
const phone = (value: string): IdentityClaim => ({ kind: 'phone', value, verified: false, source: 'test' });

describe('deciding who a conversation is with', () => {
  it('creates a contact when nothing matches and something was shared', () => {
    expect(decideIdentity({ claims: [email('a@b.co')], existing: [], policy: 'standard', capturable: true }))
      .toEqual({ kind: 'create', suggestedContactIds: [] });
  });

  it('stays anonymous when nothing matches and nothing capturable was shared', () => {
    expect(decideIdentity({ claims: [], existing: [], policy: 'standard', capturable: false })).toEqual({ kind: 'anonymous' });
  });

  it('links on an exact email under the standard policy', () => {
    const decision = decideIdentity({
      claims: [email('a@b.co')], existing: [{ kind: 'email', value: 'a@b.co', verified: false, contactId: 'A' }],
      policy: 'standard', capturable: true,
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A', matchedBy: 'email', suggestedContactIds: [] });
  });

  it('links to the strongest when email and phone point at different people, and suggests the other', () => {
    const decision = decideIdentity({
      claims: [email('a@b.co'), phone('+15551234567')],
      existing: [
        { kind: 'phone', value: '+15551234567', verified: false, contactId: 'B' },
        { kind: 'email', value: 'a@b.co', verified: false, contactId: 'A' },
      ],
      policy: 'standard', capturable: true,
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A', matchedBy: 'email', suggestedContactIds: ['B'] });
  });

  it('under the strict policy an unverified claim becomes a new contact with a duplicate suggestion', () => {
    const decision = decideIdentity({
      claims: [email('a@b.co')], existing: [{ kind: 'email', value: 'a@b.co', verified: true, contactId: 'A' }],
      policy: 'strict', capturable: true,
    });
    expect(decision).toEqual({ kind: 'create', suggestedContactIds: ['A'] });
  });

  it('under the strict policy a verified claim of a verified identifier links', () => {
    const decision = decideIdentity({
      claims: [email('a@b.co', true)], existing: [{ kind: 'email', value: 'a@b.co', verified: true, contactId: 'A' }],
      policy: 'strict', capturable: true,
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A' });
  });
});
