import { TranscriptMessage } from './extraction.types';
import { findVisitorNames } from './visitor-name';
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
  ])('no name in: %s', (text) => {
    expect(named([v(text)])).toBeNull();
  });

  it('takes a short reply to a request for the name, even in lower case', () => {
    expect(named([ai('May I have your name?'), v('kevin brooks', 'm1')])).toEqual(['Kevin', 'Brooks']);
    expect(named([ai('Could I get your name and email?'), v('Kevin Brooks, kbrooks@yahoo.com', 'm1')])).toEqual(['Kevin', 'Brooks']);
    expect(named([ai('Can I get your first and last name?'), v('Sure, Maria Gonzalez', 'm1')])).toEqual(['Maria', 'Gonzalez']);
    expect(named([ai('How many rooms?'), v('Three', 'm1')])).toBeNull();
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
