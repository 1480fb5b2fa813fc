// email-reply-parser 2.1.0 ships no types (later versions do, but are ES modules needing Node 22).
declare module 'email-reply-parser' {
  class Fragment {
    getContent(): string;
    isQuoted(): boolean;
    isSignature(): boolean;
    isHidden(): boolean;
  }
  class Email {
    getFragments(): Fragment[];
    getVisibleText(): string;
  }
  class EmailReplyParser {
    read(text: string): Email;
  }
  export = EmailReplyParser;
}
