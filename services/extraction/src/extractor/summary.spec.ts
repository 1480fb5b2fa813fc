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
});
