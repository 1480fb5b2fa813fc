import { displayName } from './contact-snapshot';

describe('a contact\'s display name', () => {
  it('is the name when there is one', () => {
    expect(displayName({ firstName: 'John', lastName: 'Smith' }, ['john@email.com'], [])).toBe('John Smith');
    expect(displayName({ firstName: 'Sarah', lastName: null }, [], ['+15551234567'])).toBe('Sarah');
  });

  it('falls back to the email, then the phone', () => {
    expect(displayName({ firstName: null, lastName: null }, ['a@b.co'], ['+15551234567'])).toBe('a@b.co');
    expect(displayName({ firstName: null, lastName: null }, [], ['+15551234567'])).toBe('+15551234567');
  });
});
