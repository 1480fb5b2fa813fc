import { TranscriptMessage } from './extraction.types';
import { signalsOf } from './signals';
import { summarise } from './summary';

const summaryOf = (texts: string[]) => {
  const messages: TranscriptMessage[] = texts.map((text, i) => ({ id: `m${i + 1}`, author: 'visitor', text }));
  return summarise(messages, {}, signalsOf(texts, {}, []));
};

describe('summarise', () => {
  it('says what the visitor wants, the details and the contact preference', () => {
    const s = summaryOf([
      "Hi! I'm interested in getting a quote for backyard landscaping.",
      'I have a 500 sq ft area and want low-maintenance plants.',
      'Please call me in the afternoon.',
    ]);
    expect(s).toBe(
      'Visitor is interested in getting a quote for backyard landscaping. They have a 500 sq ft area and want low-maintenance plants. Prefers to be contacted by phone in the afternoon.',
    );
  });

  it('quotes the visitor when no request is recognised, never inventing one', () => {
    expect(summaryOf(['my dog ate chocolate, is that bad??'])).toBe('Visitor asks: "my dog ate chocolate, is that bad??"');
    expect(summaryOf(['I am so frustrated with this website'])).toBe('Visitor says: "I am so frustrated with this website."');
  });

  it('has one to three sentences', () => {
    const s = summaryOf(['I need a plumber.', 'The sink leaks 2 gallons a day.', 'Text me.', 'Mornings are best.', 'Also 3 taps.']);
    const count = s.split(/(?<=[.!?"])\s+/).length;
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(3);
    expect(s.startsWith('Visitor needs a plumber.')).toBe(true);
  });

  it('recasts requests typed without a subject and drops the greeting', () => {
    expect(summaryOf(['Hiya, looking for someone to fix a leaking roof'])).toBe('Visitor is looking for someone to fix a leaking roof.');
    expect(summaryOf(['Hi, need movers on June 30.'])).toBe('Visitor needs movers on June 30.');
    expect(summaryOf(["G'day, after a quote for solar panels on a 4 bedroom house."])).toBe('Visitor is after a quote for solar panels on a 4 bedroom house.');
    expect(summaryOf(['Name: Hannah\nMessage: Interested in piano lessons for my 8 year old'])).toBe('Visitor is interested in piano lessons for their 8 year old.');
  });

  it('quotes a sentence in another language whole rather than mixing languages', () => {
    expect(summaryOf(['Guten Abend, ich interessiere mich für Ihre Küchenplanung.'])).toBe('Visitor says: "ich interessiere mich für Ihre Küchenplanung."');
    expect(summaryOf(['Bonjour, je voudrais un devis pour refaire ma toiture.'])).toBe('Visitor says: "je voudrais un devis pour refaire ma toiture."');
  });

  it('does not end a sentence at "Dr." nor read a greeting as a time to call', () => {
    expect(summaryOf(['Is Dr. Patel accepting new patients?'])).toBe('Visitor asks: "Is Dr. Patel accepting new patients?"');
    expect(summaryOf(['Good afternoon, please send me a quote for 500 t-shirts.'])).toBe('Visitor asks you to send them a quote for 500 t-shirts.');
    expect(summaryOf(['Morning! I need a plumber.', 'Call me after 5pm please.'])).toBe('Visitor needs a plumber. Prefers to be contacted by phone after 5pm.');
  });

  it('leaves no dangling words where a contact detail was cut out', () => {
    const messages: TranscriptMessage[] = [{ id: 'm1', author: 'visitor', text: 'hi can you deliver to 88 Birch Crescent NW, Calgary AB T2N 1N4?' }];
    const fields = { address: { value: '88 Birch Crescent NW, Calgary AB T2N 1N4', confidence: 0.85, evidence: { messageId: 'm1', start: 22, end: 62 } } };
    expect(summarise(messages, fields, signalsOf([messages[0].text], fields, []))).toBe('Visitor asks if you can deliver.');
    expect(summaryOf(["I'd like to cancel my subscription, account number 88214430"])).toBe('Visitor would like to cancel their subscription.');
  });
});
