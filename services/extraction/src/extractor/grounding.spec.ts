import { TranscriptMessage } from './extraction.types';
import { ground } from './grounding';

const visitor: TranscriptMessage[] = [
  { id: 'm1', author: 'visitor', text: 'Hi, Oliver Hughes here. Postcode sw11 4nj' },
  { id: 'm3', author: 'visitor', text: 'Reach me on 020 7946 0958 or OLIVER@btinternet.com' },
];

describe('ground', () => {
  it('keeps values the visitor wrote, with evidence where they wrote them', () => {
    expect(ground('lastName', 'hughes', visitor, 'GB')).toEqual({ value: 'Hughes', evidence: { messageId: 'm1', start: 11, end: 17 } });
    expect(ground('phone', '+44 20 7946 0958', visitor, 'GB')?.value).toBe('+442079460958');
    expect(ground('email', 'oliver@btinternet.com', visitor, 'GB')?.evidence).toEqual({ messageId: 'm3', start: 29, end: 50 });
    expect(ground('postalCode', 'SW11 4NJ', visitor, 'GB')?.value).toBe('SW11 4NJ');
  });

  it('drops values that are not in the visitor text, or only part of a word', () => {
    expect(ground('firstName', 'Olivia', visitor, 'GB')).toBeNull();
    expect(ground('phone', '020 7946 0000', visitor, 'GB')).toBeNull();
    expect(ground('email', 'oliver@gmail.com', visitor, 'GB')).toBeNull();
    expect(ground('firstName', 'Hugh', visitor, 'GB')).toBeNull();
  });

  it('finds a name where the visitor wrote it, not inside their e-mail address', () => {
    expect(ground('firstName', 'Oliver', visitor, 'GB')).toEqual({ value: 'Oliver', evidence: { messageId: 'm1', start: 4, end: 10 } });
    expect(ground('firstName', 'Jane', [{ id: 'm9', author: 'visitor', text: 'write to jane.doe@example.com' }], 'US')).toBeNull();
  });
});
