import { contactName, emailSubjectOf, titleOf } from './notification-titles';

describe('notification titles', () => {
  it('names the contact by name, else email, else phone', () => {
    expect(contactName({ firstName: 'John', lastName: 'Smith', emails: ['j@x.com'], phones: ['+15551234567'] })).toBe('John Smith');
    expect(contactName({ firstName: 'John', lastName: null, emails: [], phones: [] })).toBe('John');
    expect(contactName({ firstName: ' ', emails: ['j@x.com'], phones: ['+15551234567'] })).toBe('j@x.com');
    expect(contactName({ emails: [], phones: ['+15551234567'] })).toBe('+15551234567');
    expect(contactName({ emails: [], phones: [] })).toBe('Unknown visitor');
    expect(contactName(null, 'Web Chat visitor')).toBe('Web Chat visitor');
  });

  it('makes titles and email subjects', () => {
    expect(titleOf('New Lead', 'John Smith')).toBe('New Lead: John Smith');
    expect(emailSubjectOf('New Lead', 'John Smith', 'webchat')).toBe('New Lead from Web Chat: John Smith');
    expect(emailSubjectOf('Conversation Update', 'Ann', 'sms')).toBe('Conversation Update from SMS: Ann');
    expect(emailSubjectOf('Hot lead', 'Ann', null)).toBe('Hot lead: Ann');
  });
});
