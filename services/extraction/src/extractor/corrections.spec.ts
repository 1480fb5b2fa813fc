import { correctsEarlier, finalCandidate } from './corrections';

describe('correctsEarlier', () => {
  it('sees correction cues just before a value', () => {
    const t = "I'm Nora. Actually, it's Eleanora Vance on the account.";
    expect(correctsEarlier(t, t.indexOf('Eleanora'))).toBe(true);
    expect(correctsEarlier(t, t.indexOf('Nora'))).toBe(false);
    const s = 'sorry, typo. It is 555-123-4568';
    expect(correctsEarlier(s, s.indexOf('555'))).toBe(true);
  });
});

describe('finalCandidate', () => {
  const c = (messageIndex: number, start: number, correction = false, preferred = true) => ({ messageIndex, start, correction, preferred });

  it('takes the latest message', () => {
    expect(finalCandidate([c(0, 5), c(2, 10), c(1, 0)])).toEqual(c(2, 10));
  });

  it('takes the first in a message unless a later one corrects it', () => {
    expect(finalCandidate([c(1, 0), c(1, 20)])).toEqual(c(1, 0));
    expect(finalCandidate([c(1, 0), c(1, 20, true)])).toEqual(c(1, 20, true));
  });

  it('prefers a value said to be the visitor\'s own', () => {
    expect(finalCandidate([c(0, 0, false, false), c(0, 30)])).toEqual(c(0, 30));
    expect(finalCandidate([])).toBeUndefined();
  });
});
