import { findPersonNames } from './person-name.detector';

const names = (text: string) => findPersonNames(text).map((n) => n.text);

describe('findPersonNames', () => {
  it.each([
    ['The name in the account is not correct, please change it to Mary Gavrilova', ['Mary Gavrilova']],
    ['In case of my child\'s account, we need to add Ryan P Costa as guardian', ['Ryan P Costa']],
    ['Mr. Slepička flew to Paris on Thursday morning.', ['Slepička']],
    ['Kevin had given Alma his address', ['Kevin', 'Alma']],
    ['Why is Rebecca so impulsive?', ['Rebecca']],
  ])('%s', (text, want) => {
    expect(names(text)).toEqual(want);
  });

  it.each([
    'What are my options?',
    'I will be travelling to Uruguay next week',
    'I used to work for Acme Group as a clerk',
    'CAN I SPEAK TO A REAL PERSON?!?!',
    'See you on Sunday',
  ])('no person in: %s', (text) => {
    expect(names(text)).toEqual([]);
  });
});
