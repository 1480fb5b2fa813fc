import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isValidTwilioBodySignature, isValidTwilioSignature } from './twilio-signature';
import { parseTwilioSms } from './twilio-sms';

interface Vector {
  name: string;
  request_url: string;
  params: 'default_params' | Record<string, string | string[]>;
  body?: string;
  signature: string;
  valid: boolean;
}

interface VectorFile {
  auth_token: string;
  default_params: Record<string, string>;
  vectors: Vector[];
}

// Read from the shared evaluation set (never copied into the project): ../shared/eval from the project root.
const file = JSON.parse(readFileSync(resolve(__dirname, '../../../../../shared/eval/twilio/signature_vectors.json'), 'utf8')) as VectorFile;

describe('X-Twilio-Signature', () => {
  it('has the vectors to check', () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(17);
    expect(file.vectors.some((v) => !v.valid)).toBe(true);
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))('%s verifies as the vector says', (_name, vector) => {
    const params = vector.params === 'default_params' ? file.default_params : vector.params;
    const valid = vector.body !== undefined
      ? isValidTwilioBodySignature(file.auth_token, vector.signature, vector.request_url, vector.body)
      : isValidTwilioSignature(file.auth_token, vector.signature, vector.request_url, params);
    expect(valid).toBe(vector.valid);
  });

  it('refuses a valid signature under another auth token, a changed param, or none at all', () => {
    const basic = file.vectors.find((v) => v.name === 'basic')!;
    expect(isValidTwilioSignature('54321', basic.signature, basic.request_url, file.default_params)).toBe(false);
    expect(isValidTwilioSignature(file.auth_token, basic.signature, basic.request_url, { ...file.default_params, Digits: '9999' })).toBe(false);
    expect(isValidTwilioSignature(file.auth_token, undefined, basic.request_url, file.default_params)).toBe(false);
  });
});

describe('Twilio inbound SMS fields', () => {
  const form = { MessageSid: 'SM0123456789abcdef0123456789abcdef', From: '+14155550123', To: '+14155550100', Body: 'hi', NumMedia: '0' };

  it('keeps the text and every media URL', () => {
    const parsed = parseTwilioSms({ ...form, NumMedia: '2', MediaUrl0: 'https://api.twilio.com/m/0', MediaContentType0: 'image/jpeg', MediaUrl1: 'https://api.twilio.com/m/1' });
    expect(parsed).toEqual({ sms: { messageSid: form.MessageSid, from: form.From, to: form.To, body: 'hi', media: [
      { url: 'https://api.twilio.com/m/0', contentType: 'image/jpeg' }, { url: 'https://api.twilio.com/m/1' },
    ] } });
  });

  it('names each bad field', () => {
    const parsed = parseTwilioSms({ To: '+14155550100', Body: '', NumMedia: '1' });
    expect('problems' in parsed && parsed.problems.map((p) => p.field)).toEqual(['MessageSid', 'From', 'MediaUrl0']);
    const empty = parseTwilioSms({ ...form, Body: ' ' });
    expect('problems' in empty && empty.problems).toEqual([{ field: 'Body', reason: 'is empty and the message has no media' }]);
  });
});
