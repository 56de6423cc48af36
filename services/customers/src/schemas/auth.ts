/** Schemas of /v1/auth: sign-up, sign-in, sessions, password reset, email verification, invitations. */
import { Type, type Static } from 'typebox';
import { AnyPassword, Email, NewPassword, Nullable, OpaqueToken, PersonName, Phone, Role, Uuid, strict } from './common.ts';

export const CustomerSchema = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    name: Type.String(),
    phone: Nullable(Type.String()),
    role: Role,
    emailVerified: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  strict,
);

export const RegisterSchema = Type.Object({ email: Email, password: NewPassword, name: Type.Optional(PersonName), phone: Type.Optional(Phone) }, strict);
export type RegisterBody = Static<typeof RegisterSchema>;

export const SignInSchema = Type.Object({ email: Email, password: AnyPassword }, strict);
export const RefreshSchema = Type.Object({ refreshToken: OpaqueToken }, strict);
export const EmailOnlySchema = Type.Object({ email: Email }, strict);
export const TokenOnlySchema = Type.Object({ token: OpaqueToken }, strict);
export const ResetConfirmSchema = Type.Object({ token: OpaqueToken, password: NewPassword }, strict);
export const ChangePasswordSchema = Type.Object({ currentPassword: AnyPassword, newPassword: NewPassword }, strict);
export const AcceptInvitationSchema = Type.Object({ token: OpaqueToken, password: NewPassword, name: Type.Optional(PersonName) }, strict);

export const SessionSchema = Type.Object(
  {
    tokenType: Type.Literal('Bearer'),
    accessToken: Type.String({ description: 'JWT for Authorization: Bearer; short-lived' }),
    expiresIn: Type.Integer({ description: 'Seconds the access token is valid' }),
    refreshToken: Type.String({ description: 'Single use: POST it to /v1/auth/refresh for a new pair' }),
    refreshTokenExpiresAt: Type.String({ format: 'date-time' }),
    customer: CustomerSchema,
  },
  strict,
);

export const AcceptedSchema = Type.Object({ status: Type.Literal('accepted'), message: Type.String() }, strict);
