import { validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';

/**
 * Checks `X-Twilio-Signature`: base64(HMAC-SHA1(auth token, URL + each POST param's name and value, sorted)).
 * Twilio's own implementation (the `twilio` package, imported from its webhooks module only) rather than ours:
 * the edge cases are subtle (the URL is tried with and without the default port, `'` is percent-encoded before
 * signing, repeated values are de-duplicated and sorted, JSON bodies are signed through `bodySHA256`) and every
 * vector in ../shared/eval/twilio/signature_vectors.json passes with it (twilio-signature.spec.ts).
 */
export function isValidTwilioSignature(
  authToken: string, signature: string | undefined, url: string, params: Record<string, string | string[]>,
): boolean {
  if (!signature) return false;
  return validateRequest(authToken, signature, url, params);
}

/** The JSON-body variant: Twilio signs the URL carrying `bodySHA256=<hex sha256 of the body>`, with no params. */
export function isValidTwilioBodySignature(authToken: string, signature: string | undefined, url: string, body: string): boolean {
  if (!signature) return false;
  return validateRequestWithBody(authToken, signature, url, body);
}
