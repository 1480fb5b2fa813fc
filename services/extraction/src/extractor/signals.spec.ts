import { intentOf, preferredContact, signalsOf } from './signals';

describe('signalsOf', () => {
  it('reads intent, urgency, budget, size and contact preference', () => {
    const s = signalsOf(
      ["I'd like a quote for backyard landscaping ASAP. It's about 500 sq ft, budget around $3k.", 'Please call me in the afternoon'],
      { phone: { value: '+15551234567', confidence: 0.9, evidence: { messageId: 'm1', start: 0, end: 1 } } },
      ['firstName', 'lastName', 'email', 'phone', 'address', 'postalCode'],
    );
    expect(s).toEqual({ intent: 'high', urgency: 'high', budgetMentioned: true, sizeMentioned: true, preferredContact: 'phone', contactCompleteness: 0.17 });
  });

  it('finds no intent in a complaint and none of the rest', () => {
    const s = signalsOf(['I am so frustrated with this website'], {}, ['email']);
    expect(s).toEqual({ intent: 'none', urgency: 'none', budgetMentioned: false, sizeMentioned: false, preferredContact: null, contactCompleteness: 0 });
  });

  it('grades intent', () => {
    expect(intentOf('Can I book a cleaning for Friday?', false)).toBe('high');
    expect(intentOf('How much is a cleaning', false)).toBe('medium');
    expect(intentOf('What are your hours?', false)).toBe('low');
  });

  it('keeps the last stated contact preference', () => {
    expect(preferredContact(['call me', 'actually text me instead'])).toBe('sms');
    expect(preferredContact(['email me the estimate'])).toBe('email');
  });

  it('does not read a postal code and town as a budget ("50674 Köln")', () => {
    expect(signalsOf(['Lindenstraße 14, 50674 Köln'], {}, []).budgetMentioned).toBe(false);
    expect(signalsOf(['around 350k'], {}, []).budgetMentioned).toBe(true);
    expect(signalsOf(['einen Kombi bis 15.000 Euro'], {}, []).budgetMentioned).toBe(true);
  });

  it('reads sizes written the way listings write them', () => {
    expect(signalsOf(['any 2br apartments?'], {}, []).sizeMentioned).toBe(true);
    expect(signalsOf(['rewiring a 3 bed semi'], {}, []).sizeMentioned).toBe(true);
    expect(signalsOf(['eine Hochzeit für 80 Gäste'], {}, []).sizeMentioned).toBe(true);
  });

  it('reads intent and contact preference in German, French and Spanish', () => {
    expect(intentOf('Ich möchte ein Angebot für Fenster.', false)).toBe('high');
    expect(intentOf('Je voudrais un devis pour ma toiture.', false)).toBe('high');
    expect(intentOf('Quiero un presupuesto, por favor.', false)).toBe('high');
    expect(preferredContact(['per Mail: katrin.vogel@gmx.de'])).toBe('email');
    expect(preferredContact(['Ich hätte gern einen Rückruf.'])).toBe('phone');
  });
});
