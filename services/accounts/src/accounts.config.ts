import { BaseServiceConfig, publicKeyText, readPrivateKey, readPublicKey } from '@leadline/platform';
import { Type } from 'class-transformer';
import { IsInt, Matches, Max, Min, registerDecorator } from 'class-validator';

/** The signing key must parse as Ed25519 and be the pair of SESSION_PUBLIC_KEY, or no service would accept a token. */
function IsSessionPrivateKey(): PropertyDecorator {
  return (target, propertyName) => registerDecorator({
    name: 'isSessionPrivateKey', target: target.constructor, propertyName: propertyName as string,
    options: { message: 'must be the Ed25519 private key (PEM, or base64 DER PKCS#8) whose public key is SESSION_PUBLIC_KEY' },
    validator: {
      validate: (value: unknown, args) => {
        try {
          const publicKey = (args?.object as { SESSION_PUBLIC_KEY?: string }).SESSION_PUBLIC_KEY ?? '';
          return typeof value === 'string' && publicKeyText(readPrivateKey(value)) === publicKeyText(readPublicKey(publicKey));
        } catch {
          return false;
        }
      },
    },
  });
}

export class AccountsConfig extends BaseServiceConfig {
  /** Signs member session tokens (and system tokens exchanged for an API key); only accounts holds it. */
  @IsSessionPrivateKey()
  SESSION_PRIVATE_KEY!: string;

  @Type(() => Number) @IsInt() @Min(60) @Max(30 * 86_400)
  SESSION_TTL_SECONDS: number = 8 * 3600;

  /** SHA-256 (hex) of the platform operator's key: the one credential that may create accounts. */
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be the lower-case hex SHA-256 of the operator key (e.g. `printf %s "$KEY" | sha256sum`)' })
  OPERATOR_KEY_SHA256!: string;
}
