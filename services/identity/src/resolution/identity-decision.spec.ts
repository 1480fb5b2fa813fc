import type { IdentifierKind } from '@leadline/contracts';
import { claimsOf, convertsToUser, normalise, type ExistingIdentifier, type IdentityClaim } from './identity-claims';
import { decideIdentity, type DecisionInput, type IdentityDecision } from './identity-decision';

const claim = (kind: IdentifierKind, value: string, verified = false): IdentityClaim => ({ kind, value, verified, source: 'test' });
const email = (value: string, verified = false) => claim('email', value, verified);
const phone = (value: string, verified = false) => claim('phone', value, verified);
const held = (kind: IdentifierKind, value: string, contactId: string, verified = false): ExistingIdentifier => ({ kind, value, verified, contactId });

const decide = (input: Partial<DecisionInput> & Pick<DecisionInput, 'claims' | 'existing'>): IdentityDecision =>
  decideIdentity({ policy: 'standard', capturable: true, ...input });
const suggested = (decision: IdentityDecision): string[] => (decision.kind === 'anonymous' ? [] : decision.suggestions.map((s) => s.contactId));

describe('deciding who a conversation is with', () => {
  it('creates a contact when nothing matches and something was shared', () => {
    expect(decide({ claims: [email('a@b.co')], existing: [] })).toEqual({ kind: 'create', suggestions: [] });
  });

  it('stays anonymous when nothing matches and nothing capturable was shared', () => {
    expect(decide({ claims: [], existing: [], capturable: false })).toEqual({ kind: 'anonymous' });
  });

  it('links on an exact email under the standard policy', () => {
    const decision = decide({ claims: [email('a@b.co')], existing: [held('email', 'a@b.co', 'A')] });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A', matchedBy: 'email', suggestions: [] });
  });

  it('a returning device links even when nothing capturable was shared this time', () => {
    const decision = decide({ claims: [claim('device', 'd1')], existing: [held('device', 'd1', 'A')], capturable: false });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A', matchedBy: 'device' });
  });
});

describe('conflicting matches never merge', () => {
  it('links to the email when email and phone point at different people, and suggests the phone\'s contact', () => {
    const decision = decide({
      claims: [email('a@b.co'), phone('+15551234567')],
      existing: [held('phone', '+15551234567', 'B'), held('email', 'a@b.co', 'A')],
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A', matchedBy: 'email' });
    expect(suggested(decision)).toEqual(['B']);
  });

  it.each([
    ['external user beats device', 'external_user', 'device'],
    ['device beats verified email', 'device', 'email:verified'],
    ['verified email beats email', 'email:verified', 'email'],
    ['email beats phone', 'email', 'phone'],
  ])('%s', (_, strong, weak) => {
    const parse = (spec: string): [IdentifierKind, boolean] => [spec.split(':')[0] as IdentifierKind, spec.endsWith(':verified')];
    const [strongKind, strongVerified] = parse(strong);
    const [weakKind, weakVerified] = parse(weak);
    const strongValue = strongKind === weakKind ? 'strong@b.co' : 'same-value-1';
    const weakValue = strongKind === weakKind ? 'weak@b.co' : 'same-value-2';
    const decision = decide({
      claims: [claim(weakKind, weakValue, weakVerified), claim(strongKind, strongValue, strongVerified)],
      existing: [held(weakKind, weakValue, 'WEAK', weakVerified), held(strongKind, strongValue, 'STRONG', strongVerified)],
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'STRONG' });
    expect(suggested(decision)).toEqual(['WEAK']);
  });

  it('keeps every identifier pointing at the linked contact as evidence', () => {
    const decision = decide({
      claims: [email('a@b.co'), phone('+15551234567')],
      existing: [held('email', 'a@b.co', 'A'), held('phone', '+15551234567', 'A')],
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A', suggestions: [] });
    expect(decision.kind === 'match' && decision.evidence.map((e) => e.kind).sort()).toEqual(['email', 'phone']);
  });
});

describe('the strict policy', () => {
  it('turns an unverified claim that matches someone into a new contact with a duplicate suggestion', () => {
    const decision = decide({ policy: 'strict', claims: [email('a@b.co')], existing: [held('email', 'a@b.co', 'A', true)] });
    expect(decision).toMatchObject({ kind: 'create', suggestions: [{ contactId: 'A', rejection: 'unverified' }] });
  });

  it('does not link a verified claim to an unverified stored identifier', () => {
    const decision = decide({ policy: 'strict', claims: [email('a@b.co', true)], existing: [held('email', 'a@b.co', 'A', false)] });
    expect(decision).toMatchObject({ kind: 'create', suggestions: [{ contactId: 'A' }] });
  });

  it('links a verified claim of a verified identifier, and suggests the unverified match', () => {
    const decision = decide({
      policy: 'strict', claims: [email('a@b.co', true), phone('+15551234567')],
      existing: [held('email', 'a@b.co', 'A', true), held('phone', '+15551234567', 'B', true)],
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A', matchedBy: 'email' });
    expect(suggested(decision)).toEqual(['B']);
  });

  it('an unverified claim with nothing capturable stays anonymous', () => {
    const decision = decide({ policy: 'strict', capturable: false, claims: [claim('device', 'd1')], existing: [held('device', 'd1', 'A')] });
    expect(decision).toEqual({ kind: 'anonymous' });
  });
});

describe('never across two external users', () => {
  it('does not link a signed-in user to another user\'s contact by device (a shared browser)', () => {
    const decision = decide({
      claims: [claim('external_user', 'u-2', true), claim('device', 'd1'), email('two@b.co')],
      existing: [held('device', 'd1', 'A')],
      externalUsersByContact: new Map([['A', ['u-1']]]),
    });
    expect(decision).toEqual({ kind: 'create', suggestions: [] });
  });

  it('links to the contact of the same external user and not to the other user found by email', () => {
    const decision = decide({
      claims: [claim('external_user', 'u-1', true), email('shared@b.co')],
      existing: [held('external_user', 'u-1', 'U1', true), held('email', 'shared@b.co', 'U2')],
      externalUsersByContact: new Map([['U1', ['u-1']], ['U2', ['u-2']]]),
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'U1', suggestions: [] });
  });

  it('a visitor who is not signed in may still return to a user\'s contact', () => {
    const decision = decide({
      claims: [claim('device', 'd1')], existing: [held('device', 'd1', 'A')], externalUsersByContact: new Map([['A', ['u-1']]]),
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A' });
  });
});

describe('a shared identifier stops linking by itself', () => {
  const officePhone = '+15550000000';
  it('creates a new contact instead of linking on a phone claimed by more contacts than the limit', () => {
    const decision = decide({
      claims: [email('new@b.co'), phone(officePhone)], existing: [held('phone', officePhone, 'A')],
      contactsPerIdentifier: new Map([[`phone:${officePhone}`, 3]]), sharedIdentifierLimit: 2,
    });
    expect(decision).toEqual({ kind: 'create', suggestions: [] });
  });

  it('still links on it while it is within the limit', () => {
    const decision = decide({
      claims: [phone(officePhone)], existing: [held('phone', officePhone, 'A')],
      contactsPerIdentifier: new Map([[`phone:${officePhone}`, 2]]), sharedIdentifierLimit: 2,
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'A' });
  });

  it('lets another identifier link while the shared one is ignored', () => {
    const decision = decide({
      claims: [email('b@b.co'), phone(officePhone)], existing: [held('phone', officePhone, 'A'), held('email', 'b@b.co', 'B')],
      contactsPerIdentifier: new Map([[`phone:${officePhone}`, 5]]), sharedIdentifierLimit: 3,
    });
    expect(decision).toMatchObject({ kind: 'match', contactId: 'B', suggestions: [] });
  });
});

describe('claims and conversion', () => {
  const analyzed = {
    accountId: 'a', conversationId: 'c', channel: 'webchat', cycle: 1, defaultRegion: 'US',
    identifiers: [{ kind: 'device', value: ' d1 ', verified: false }],
    fields: { email: { value: ' John@Email.COM ' }, phone: { value: '(555) 123-4567' } },
  } as never;

  it('normalises e-mails and phones in any format to one stored form', () => {
    expect(claimsOf(analyzed).map((c) => [c.kind, c.value])).toEqual([
      ['device', 'd1'], ['email', 'john@email.com'], ['phone', '+15551234567'],
    ]);
    expect(normalise('phone', '+1 555 123 4567', 'GB')).toBe('+15551234567');
    expect(normalise('phone', '020 7946 0018', 'GB')).toBe('+442079460018');
  });

  it('converts to a user only on a verified external user, never on a phone call', () => {
    expect(convertsToUser('webchat', [claim('external_user', 'u-1', true)])?.value).toBe('u-1');
    expect(convertsToUser('webchat', [claim('external_user', 'u-1', false)])).toBeUndefined();
    expect(convertsToUser('voice', [claim('phone', '+15551234567', true), claim('external_user', 'u-1', true)])).toBeUndefined();
  });
});
