import EmailReplyParser = require('email-reply-parser');

export interface ReplyParts {
  /** What the sender wrote now. */
  newText: string;
  /** The earlier messages quoted below it ("On ... wrote:", "> ..."). */
  quotedText: string | null;
  /** The sender's signature block. */
  signatureText: string | null;
}

/**
 * Separates the new text of an email from its quoted history and signature, with Crisp's email-reply-parser
 * (2.1.0, the last CommonJS release: later ones need Node 22; a maintained port of GitHub's, with many languages' "On ... wrote:" forms). All three parts are stored; if the
 * parser finds no new text at all, the whole text is kept as new rather than losing what the sender wrote.
 */
export function splitReply(text: string): ReplyParts {
  const fragments = new EmailReplyParser().read(text).getFragments();
  const join = (parts: string[]): string | null => {
    const joined = parts.map((part) => part.trim()).filter((part) => part.length > 0).join('\n\n');
    return joined.length > 0 ? joined : null;
  };
  const newText = join(fragments.filter((f) => !f.isQuoted() && !f.isSignature()).map((f) => f.getContent()));
  const quotedText = join(fragments.filter((f) => f.isQuoted()).map((f) => f.getContent()));
  const signatureText = join(fragments.filter((f) => f.isSignature() && !f.isQuoted()).map((f) => f.getContent()));
  if (newText === null) return { newText: text.trim(), quotedText: null, signatureText: null };
  return { newText, quotedText, signatureText };
}
