import { ExtractionInput, TranscriptMessage } from './extraction.types';
import { RulesExtractor } from './rules-extractor';

const rules = new RulesExtractor();
let n = 0;
const msg = (author: TranscriptMessage['author'], text: string): TranscriptMessage => ({ id: `m${++n}`, author, text });
const values = (input: ExtractionInput) =>
  Object.fromEntries(Object.entries(rules.extractSync(input).fields).map(([k, v]) => [k, v.value]));

describe('RulesExtractor', () => {
  it('extracts every field with evidence pointing at the visitor text', async () => {
    const m = msg('visitor', "Hello! I'm Grace Liu. My cell is 408-555-0133 and I live at 77 Orchard Lane, San Jose, CA 95112. grace@liu.dev");
    const result = await rules.extract({ messages: [m] });
    expect(result.extractor).toBe('rules');
    expect(Object.fromEntries(Object.entries(result.fields).map(([k, v]) => [k, v.value]))).toEqual({
      firstName: 'Grace', lastName: 'Liu', email: 'grace@liu.dev', phone: '+14085550133',
      address: '77 Orchard Lane, San Jose, CA 95112', postalCode: '95112',
    });
    for (const v of Object.values(result.fields)) {
      expect(v.evidence.messageId).toBe(m.id);
      expect(v.confidence).toBeGreaterThan(0.5);
      expect(v.confidence).toBeLessThanOrEqual(1);
    }
    expect(m.text.slice(result.fields.phone!.evidence.start, result.fields.phone!.evidence.end)).toBe('408-555-0133');
    expect(result.signals.contactCompleteness).toBe(1);
  });

  it("never takes the business's own details from AI or agent messages", () => {
    expect(values({ messages: [
      msg('ai', 'Thanks for contacting Oak Street Vets! Call us at (503) 555-0100 or vets@oak.com. I\'m Mia.'),
      msg('agent', 'My name is Tom, reach me at tom@oak.com'),
      msg('visitor', 'my dog ate chocolate, is that bad??'),
    ] })).toEqual({});
  });

  it('lets a correction in a later message replace the earlier value', () => {
    expect(values({ messages: [
      msg('visitor', 'My number is 555-123-4567'),
      msg('ai', 'Is this the best number to reach you?'),
      msg('visitor', 'Actually use my work line, 212-555-0148.'),
    ] })).toEqual({ phone: '+12125550148' });
  });

  it("skips a friend's number and a main line but keeps the visitor's direct line", () => {
    expect(values({ messages: [msg('visitor', "my friend's number is 303-555-0111. 1-800-555-0199 is our main line but my direct is +1 (720) 555-0121")] }))
      .toEqual({ phone: '+17205550121' });
  });

  it('does not take a number or e-mail the business gave, even when the visitor repeats it', () => {
    expect(values({ messages: [
      msg('visitor', 'what time do you close today'),
      msg('ai', 'We close at 8pm. Our number is 888-555-0123, or write to help@shop.com.'),
      msg('visitor', "ok I'll call 888-555-0123 later, or email help@shop.com"),
    ] })).toEqual({});
    // The visitor's own number, said before the assistant repeats it back, stays theirs.
    expect(values({ messages: [
      msg('visitor', 'call me on 312-555-0177'),
      msg('ai', 'Thanks! We will call 312-555-0177 shortly.'),
      msg('visitor', 'yes 312-555-0177 is right'),
    ] })).toEqual({ phone: '+13125550177' });
  });

  it("takes a visitor's own business address but not a place they ask about", () => {
    expect(values({ messages: [msg('visitor', "Our shop is at 1800 Commerce Dr, Fort Worth TX 76102 and we need 3 printers serviced. I'm Derek Lowe")] }))
      .toEqual({ firstName: 'Derek', lastName: 'Lowe', address: '1800 Commerce Dr, Fort Worth TX 76102', postalCode: '76102' });
    expect(values({ messages: [msg('visitor', "Hello, I'm asking about the listing at 45 Lakeshore Rd. I'm Ahmed Hassan, 905-555-0138")], defaultRegion: 'CA' }))
      .toEqual({ firstName: 'Ahmed', lastName: 'Hassan', phone: '+19055550138' });
  });

  it('keeps details given after a role ("I\'m the office manager, ...")', () => {
    expect(values({ messages: [msg('visitor', "We're a small business. I'm the office manager, Patricia Gomez, pgomez@sunsetdental.com, 818-555-0144")] }))
      .toEqual({ firstName: 'Patricia', lastName: 'Gomez', email: 'pgomez@sunsetdental.com', phone: '+18185550144' });
  });

  it('takes a spelled-out e-mail and skips a German order number', () => {
    expect(values({ messages: [msg('ai', "What's the email on the account?"), msg('visitor', 'its jthompson at gmail dot com')] }))
      .toEqual({ email: 'jthompson@gmail.com' });
    expect(values({ messages: [msg('visitor', 'Meine Bestellnummer ist 40028922. Bitte rufen Sie mich zurück unter +49 89 12345678.')], defaultRegion: 'DE' }))
      .toEqual({ phone: '+498912345678' });
  });

  it('uses the default region and honours captureFields', () => {
    const input: ExtractionInput = {
      messages: [msg('visitor', "Morning, I'm Oliver Hughes, 020 7946 0958 or oliver.hughes@btinternet.com. Postcode is SW11 4NJ.")],
      defaultRegion: 'GB',
      captureFields: ['phone', 'postalCode'],
    };
    expect(values(input)).toEqual({ phone: '+442079460958', postalCode: 'SW11 4NJ' });
    expect(rules.extractSync(input).signals.contactCompleteness).toBe(1);
  });

  it('takes a postal code given alone when the assistant asked for it', () => {
    expect(values({ messages: [msg('ai', "What's your zip code?"), msg('visitor', '80202')] })).toEqual({ postalCode: '80202' });
    expect(values({ messages: [msg('ai', 'How many windows?'), msg('visitor', '12')] })).toEqual({});
  });

  it('returns a summary and signals even with no fields', () => {
    const r = rules.extractSync({ messages: [msg('visitor', 'Do you install EV chargers? Need one this week.')] });
    expect(r.fields).toEqual({});
    expect(r.summary).toBe('Visitor asks whether you install EV chargers. They mention: Need one this week.');
    expect(r.signals).toMatchObject({ intent: 'high', urgency: 'low', contactCompleteness: 0 });
  });
});
