import { splitReply } from './reply-text';

describe('email reply text', () => {
  it('keeps the new text apart from the signature and the quoted history', () => {
    const parts = splitReply([
      'Thanks, I would like a quote for 3 rooms.', '', 'Call me at 415-555-0199.', '', '--', 'Jane Doe', 'Acme Inc', '',
      'On Mon, Nov 3, 2025 at 10:00 AM Green Gardens <hello@greengardens.example> wrote:', '> Hi Jane,', '> how can we help?',
    ].join('\n'));
    expect(parts.newText).toBe('Thanks, I would like a quote for 3 rooms.\n\nCall me at 415-555-0199.');
    expect(parts.signatureText).toBe('--\nJane Doe\nAcme Inc');
    expect(parts.quotedText).toContain('> how can we help?');
    expect(parts.quotedText).toContain('Green Gardens <hello@greengardens.example> wrote:');
  });

  it('keeps a message without history whole', () => {
    expect(splitReply('Hello, do you deliver to 94110?\n')).toEqual({ newText: 'Hello, do you deliver to 94110?', quotedText: null, signatureText: null });
  });
});
