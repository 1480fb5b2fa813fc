import { isSupportedCountry } from 'libphonenumber-js';
import { isEmail, registerDecorator, type ValidationArguments } from 'class-validator';

/** A rule of one property, with the message that names it and says what to send. */
function rule(name: string, message: string | ((args: ValidationArguments) => string), validate: (value: unknown, args: ValidationArguments) => boolean): PropertyDecorator {
  return (target, propertyName) => registerDecorator({
    name, target: target.constructor, propertyName: propertyName as string,
    options: { message }, validator: { validate },
  });
}

/** An IANA time zone the runtime knows (`Europe/Paris`, `UTC`): Intl throws a RangeError for any other. */
export const IsTimeZone = (): PropertyDecorator => rule('isTimeZone', 'timeZone must be an IANA time zone such as Europe/Paris or UTC', (value) => {
  if (typeof value !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
});

/** A region libphonenumber-js has numbering rules for: national numbers are read in it. */
export const IsPhoneRegion = (): PropertyDecorator => rule('isPhoneRegion', 'defaultPhoneRegion must be a country with phone numbering rules, such as US or GB',
  (value) => typeof value === 'string' && isSupportedCountry(value));

const E164 = /^\+[1-9]\d{6,14}$/;
type ChannelLike = { kind?: unknown };

/** What the address of each kind of channel is: any widget key, an E.164 number, an email address. */
export const IsChannelAddress = (): PropertyDecorator => rule('isChannelAddress', (args) => {
  const kind = (args.object as ChannelLike).kind;
  return kind === 'email' ? 'address must be an email address for an email channel'
    : 'address must be an E.164 number such as +14155550100 for sms and voice channels';
}, (value, args) => {
  const kind = (args.object as ChannelLike).kind;
  if (typeof value !== 'string') return false;
  if (kind === 'sms' || kind === 'voice') return E164.test(value);
  if (kind === 'email') return isEmail(value);
  return true;
});

/** Webhooks of sms, voice and email channels are signed with their secret: required there, absent on widgets. */
export const IsChannelSecret = (): PropertyDecorator => rule('isChannelSecret', (args) => ((args.object as ChannelLike).kind === 'webchat'
  ? 'authToken must not be set for a webchat channel: widgets are not signed'
  : 'authToken is required for sms, voice and email channels (the Twilio auth token, or the webhook signing secret): 8 to 200 characters'),
(value, args) => {
  const kind = (args.object as ChannelLike).kind;
  if (kind === 'webchat') return value === undefined;
  if (kind === 'sms' || kind === 'voice' || kind === 'email') return typeof value === 'string' && value.length >= 8 && value.length <= 200;
  return true; // an unknown kind is refused by its own rule
});
