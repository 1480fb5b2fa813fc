import { TranscriptMessage } from './extraction.types';
import { findVisitorNames, visitorName } from './visitor-name';
import { finalCandidate } from './corrections';

const v = (text: string, id = 'm1'): TranscriptMessage => ({ id, author: 'visitor', text });
const ai = (text: string, id = 'm0'): TranscriptMessage => ({ id, author: 'ai', text });
const named = (messages: TranscriptMessage[]) => {
  const n = finalCandidate(findVisitorNames(messages));
  return n ? [n.firstName.text, n.lastName?.text ?? null] : null;
};

describe('findVisitorNames', () => {
  it.each([
    ["Hi, I'm John Smith. My email is john@email.com.", ['John', 'Smith']],
    ['My name is Sarah', ['Sarah', null]],
    ['Guten Tag, ich bin Lena Schneider und interessiere mich', ['Lena', 'Schneider']],
    ['4 works. it\'s Dana btw', ['Dana', null]],
    ['Hi - Rebecca here from Blue Fern Bakery.', ['Rebecca', null]],
    ['Thanks,\nRaj Malhotra\n(480) 555-0172', ['Raj', 'Malhotra']],
    ['Hi Mia, my name is Ethan Park and I hurt my back', ['Ethan', 'Park']],
    ['hi im jessica, need a quote', ['Jessica', null]],
    ["I'm Grace and I need a cleaning", ['Grace', null]],
    ['Can you come by Tuesday? Thanks! -Sam', ['Sam', null]],
    ['my name is maika van de noort', ['Maika', 'van de noort'.replace(/\b\w/g, (c) => c.toUpperCase())]],
    ["Hi, I'm Dr Samuel Adeyemi, looking for office space", ['Samuel', 'Adeyemi']],
    ['Dear Sir/Madam,\n\nI would like to enquire about membership.\n\nKind regards,\nDr. Amelia Hart', ['Amelia', 'Hart']],
    ['Guten Tag, hier ist Sabine Hoffmann. Ich möchte ein Angebot.', ['Sabine', 'Hoffmann']],
    ['Hallo, Tobias hier. Ich hätte gern einen Rückruf.', ['Tobias', null]],
    ["Hey it's Ngozi from the open house Sunday.", ['Ngozi', null]],
    ["Hi, Jennifer from Acme Corp here. We're looking for a catering quote", ['Jennifer', null]],
    ["I'm reaching out for my mother. I'm her son, Alan Fields.", ['Alan', 'Fields']],
    ["I'm the office manager, Patricia Gomez, pgomez@sunsetdental.com", ['Patricia', 'Gomez']],
    ['My partner\'s mobile is 0423 456 789 but best to email me: sophie.w@gmail.com. Sophie Walsh', ['Sophie', 'Walsh']],
    ['You can email me or text 214-555-0112. - Hector Gonzalez', ['Hector', 'Gonzalez']],
    ['Wir planen eine Hochzeit im August für 80 Gäste. Viele Grüße, Anna Schmidt', ['Anna', 'Schmidt']],
    ['Can you call my wife? She handles the scheduling. Thanks, Ray', ['Ray', null]],
  ])('%s', (text, want) => {
    expect(named([v(text)])).toEqual(want);
  });

  it.each([
    "I'm interested in a quote",
    "I'm in Denver",
    'I am so frustrated with this website',
    "I'm not happy with the last repair",
    "my wife's name is Jane",
    'Hi Mia, can I come in this week?',
    'Call me at 303 555 1234 after 5pm',
    'its tom.b@gmail.com thanks',
    "I'm John's wife, can I pick up his prescription?",
    'Wir planen eine Hochzeit im August für 80 Gäste.',
    'See you at the show. Happy Holidays',
    "I'm Canadian but live in Seattle now",
    "I'm good thanks, just browsing",
  ])('no name in: %s', (text) => {
    expect(named([v(text)])).toBeNull();
  });

  it('takes a short reply to a request for the name, even in lower case', () => {
    expect(named([ai('May I have your name?'), v('kevin brooks', 'm1')])).toEqual(['Kevin', 'Brooks']);
    expect(named([ai('Could I get your name and email?'), v('Kevin Brooks, kbrooks@yahoo.com', 'm1')])).toEqual(['Kevin', 'Brooks']);
    expect(named([ai('Can I get your first and last name?'), v('Sure, Maria Gonzalez', 'm1')])).toEqual(['Maria', 'Gonzalez']);
    expect(named([ai('How many rooms?'), v('Three', 'm1')])).toBeNull();
  });

  it('takes a one-word answer to "May I have your name?" as the first name', () => {
    expect(named([ai('Great! May I have your name?'), v('Aiyana', 'm1')])).toEqual(['Aiyana', null]);
    expect(named([ai('Exciting! What is your name?'), v('Oluwaseun', 'm1')])).toEqual(['Oluwaseun', null]);
    expect(named([ai('Who am I speaking with?'), v('dana', 'm1')])).toEqual(['Dana', null]);
    // The same one word answering another question is not a name.
    expect(named([ai('Which city are you in?'), v('Denver', 'm1')])).toBeNull();
  });

  it('takes a name answered with the contact details asked for alongside', () => {
    expect(named([ai('We have a tech in that area. Name and number?'), v('Luis 786 555 0114', 'm1')])).toEqual(['Luis', null]);
    expect(named([ai('Great, could I get your name and number?'), v('Fatima Al-Sayed 347-555-0155', 'm1')])).toEqual(['Fatima', 'Al-Sayed']);
  });

  it('lets a correction replace the name said first', () => {
    expect(named([v("I'm Nora. Actually, it's Eleanora Vance on the account.")])).toEqual(['Eleanora', 'Vance']);
  });

  it('gives evidence spans inside the message', () => {
    const text = 'My name is Grace Liu';
    const [n] = findVisitorNames([v(text)]);
    expect(text.slice(n.firstName.start, n.firstName.end)).toBe('Grace');
    expect(text.slice(n.lastName!.start, n.lastName!.end)).toBe('Liu');
  });
});

describe('visitorName', () => {
  const pick = (messages: TranscriptMessage[]) => {
    const n = visitorName(messages);
    return n ? [n.firstName.text, n.lastName?.text ?? null] : null;
  };

  it('completes a first name with the surname the visitor restates it with', () => {
    expect(pick([ai('Can I get your name?'), v("it's Dwayne. Dwayne Jackson.", 'm1')])).toEqual(['Dwayne', 'Jackson']);
    expect(pick([v("I'm Sean.", 'm1'), ai('Hi Sean!', 'm2'), v('Sean MacLeod, for the application', 'm3')])).toEqual(['Sean', 'MacLeod']);
  });

  it("does not take the assistant's own name for the visitor's", () => {
    expect(pick([ai("Hi, I'm Mia, the assistant at Bayview Chiropractic.", 'm0'), v('ok got it. Thanks, Mia', 'm1')])).toBeNull();
    expect(pick([ai('Hello! How can I help?', 'm0'), v('Can you call my wife? Thanks, Ray', 'm1')])).toEqual(['Ray', null]);
  });

  it('gives the evidence of a completed name where the visitor wrote the full name', () => {
    const messages = [v("I'm Sean.", 'm1'), v('Sean MacLeod here again', 'm2')];
    const n = visitorName(messages)!;
    expect(n.messageIndex).toBe(1);
    expect(messages[1].text.slice(n.lastName!.start, n.lastName!.end)).toBe('MacLeod');
  });
});
