import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEmails, isEmailAddress } from './email.detector';

describe('findEmails', () => {
  it('finds addresses in chat text, lower-cased, with their span', () => {
    const text = 'Hi, my email is MEGAN.FOSTER@Gmail.com.';
    const [e] = findEmails(text);
    expect(e.address).toBe('megan.foster@gmail.com');
    expect(text.slice(e.start, e.end)).toBe('MEGAN.FOSTER@Gmail.com');
    expect(e.owner).toBe('visitor');
  });

  it("says when the address is someone else's", () => {
    const found = findEmails('my wife is jane@x.org, mine is bob@y.co.uk.');
    expect(found.map((e) => [e.address, e.owner])).toEqual([['jane@x.org', 'someone-else'], ['bob@y.co.uk', 'visitor']]);
  });

  it('reads addresses spelled out to dodge spam filters, with the span as written', () => {
    const text = 'its jthompson at gmail dot com';
    const [e] = findEmails(text);
    expect(e.address).toBe('jthompson@gmail.com');
    expect(text.slice(e.start, e.end)).toBe('jthompson at gmail dot com');
    expect(findEmails('ana[at]web[dot]de').map((x) => x.address)).toEqual(['ana@web.de']);
    expect(findEmails('j.doe at outlook dot co dot uk').map((x) => x.address)).toEqual(['j.doe@outlook.co.uk']);
  });

  it('does not read an ordinary "at" as an address', () => {
    expect(findEmails('look at google.com for it')).toEqual([]);
    expect(findEmails("I'm at home, call me at 5")).toEqual([]);
  });

  it('needs a real top-level domain', () => {
    expect(findEmails('write to root@localhost or a@b')).toEqual([]);
  });
});

describe('isEmailAddress on the isemail test suite (../shared/eval/isemail)', () => {
  const xml = readFileSync(join(__dirname, '../../../../../shared/eval/isemail/tests.xml'), 'utf8');
  // The suite writes control characters as U+2400 + code ("SYMBOL FOR ..."), see its notes.
  const decode = (s: string) =>
    s
      .replace(/&#x24([01][0-9a-f]);/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const cases = [...xml.matchAll(/<test id="\d+">\s*<address>([\s\S]*?)<\/address>[\s\S]*?<category>([^<]*)<\/category>/g)]
    .map((m) => ({ address: decode(m[1]), category: m[2] }));

  it('rejects every address the suite calls an error', () => {
    const errors = cases.filter((c) => c.category === 'ISEMAIL_ERR');
    expect(errors.length).toBeGreaterThan(60);
    expect(errors.filter((c) => isEmailAddress(c.address)).map((c) => c.address)).toEqual([]);
  });

  it('accepts the ordinary valid ones', () => {
    for (const a of ['test@iana.org', 'a@iana.org', 'test.test@iana.org', '123@iana.org', 'test@nominet.org.uk']) {
      expect(isEmailAddress(a)).toBe(true);
    }
  });
});
