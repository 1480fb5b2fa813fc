import { parseConversationLine, readConversations, toExtractionInput, toPredictionLine } from './conversation-lines';

describe('conversation lines', () => {
  it('reads the dev.jsonl format and numbers the messages m1, m2...', () => {
    const [c] = readConversations('\n{"id":"d1","region":"GB","messages":[{"author":"ai","text":"Hi"},{"author":"visitor","text":"Hello"}],"gold":{}}\n');
    expect(toExtractionInput(c)).toEqual({
      defaultRegion: 'GB',
      messages: [{ id: 'm1', author: 'ai', text: 'Hi' }, { id: 'm2', author: 'visitor', text: 'Hello' }],
    });
  });

  it('defaults the region to US', () => {
    expect(toExtractionInput(parseConversationLine('{"id":"x","messages":[]}', 1)).defaultRegion).toBe('US');
  });

  it('names the line of a malformed conversation', () => {
    expect(() => parseConversationLine('{oops', 7)).toThrow(/line 7: not JSON/);
    expect(() => parseConversationLine('{"id":"x","messages":[{"author":"bot","text":"a"}]}', 3)).toThrow(/line 3: each message/);
  });

  it('writes every field, null when not captured', () => {
    const line = toPredictionLine('d1', {
      fields: { email: { value: 'a@b.co', confidence: 0.9, evidence: { messageId: 'm1', start: 0, end: 6 } } },
      summary: 'S.',
      signals: { intent: 'none', urgency: 'none', budgetMentioned: false, sizeMentioned: false, preferredContact: null, contactCompleteness: 0.17 },
      extractor: 'rules',
    });
    expect(line).toEqual({
      id: 'd1',
      fields: { firstName: null, lastName: null, email: 'a@b.co', phone: null, address: null, postalCode: null },
      summary: 'S.',
    });
  });
});
