/** Building blocks shared by the customers API schemas. */
import { Type } from 'typebox';

export const strict = { additionalProperties: false } as const;
export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', maxLength: 254, description: 'Compared case-insensitively' });
/** Length only (NIST 800-63B): long passphrases welcome, no composition rules. */
export const NewPassword = Type.String({ minLength: 10, maxLength: 256, description: '10 to 256 characters' });
/** On sign-in any length up to the maximum is checked, so a short guess is just a wrong password. */
export const AnyPassword = Type.String({ minLength: 1, maxLength: 256 });
export const OpaqueToken = Type.String({ pattern: '^fc[a-z]_[A-Za-z0-9_-]{20,200}$', maxLength: 210 });
export const PersonName = Type.String({ minLength: 1, maxLength: 200 });
export const Phone = Type.String({ pattern: '^\\+?[0-9 ().-]{4,30}$' });
export const Role = Type.Enum(['customer', 'admin']);
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
