/**
 * Events the customers service publishes. The `*.requested` and
 * `invitation.created` events carry a one-time token: they are the mail the
 * notifications side sends (a link with the token), so treat them like mail —
 * the token is single use and expires (see docs/identity.md).
 */
import { Type } from 'typebox';
import { defineEvent } from './registry.ts';

const Id = Type.String({ minLength: 1 });
const Email = Type.String({ minLength: 3, maxLength: 254 });
const Role = Type.Enum(['customer', 'admin']);
const Timestamp = Type.String({ format: 'date-time' });
const OneTimeToken = Type.String({ minLength: 20, maxLength: 200 });

export const AccountRegistered = defineEvent(
  'customers.account.registered',
  'An account was created: by the shopper (self), from an admin invitation, or as the first admin at start-up (bootstrap).',
  Type.Object({ customerId: Id, email: Email, name: Type.String(), role: Role, via: Type.Enum(['self', 'invitation', 'bootstrap']) }),
);

export const RegistrationRepeated = defineEvent(
  'customers.account.registration_repeated',
  'Someone tried to register with the email of an existing account. Mail the owner ("sign in or reset your password"); the API answered exactly as for a new account.',
  Type.Object({ customerId: Id, email: Email }),
);

export const EmailVerificationRequested = defineEvent(
  'customers.email_verification.requested',
  'Mail the customer a link with this token to confirm their email (POST /v1/auth/email-verification/confirm).',
  Type.Object({ customerId: Id, email: Email, token: OneTimeToken, expiresAt: Timestamp }),
);

export const EmailVerified = defineEvent(
  'customers.email.verified',
  'The customer proved they own this email; guest orders placed with it may be linked to the account.',
  Type.Object({ customerId: Id, email: Email }),
);

export const PasswordResetRequested = defineEvent(
  'customers.password_reset.requested',
  'Mail the customer a link with this token to choose a new password (POST /v1/auth/password-reset/confirm).',
  Type.Object({ customerId: Id, email: Email, token: OneTimeToken, expiresAt: Timestamp }),
);

export const PasswordChanged = defineEvent(
  'customers.password.changed',
  'The password changed (by reset or by the signed-in customer); every session was signed out. Mail a notice.',
  Type.Object({ customerId: Id, email: Email, reason: Type.Enum(['reset', 'change']) }),
);

export const InvitationCreated = defineEvent(
  'customers.invitation.created',
  'An admin invited someone; mail them a link with this token (POST /v1/auth/invitations/accept).',
  Type.Object({ invitationId: Id, email: Email, role: Role, token: OneTimeToken, expiresAt: Timestamp, invitedBy: Id }),
);

export const RoleChanged = defineEvent(
  'customers.role.changed',
  'An admin promoted or demoted an account.',
  Type.Object({ customerId: Id, email: Email, role: Role, previousRole: Role, changedBy: Id }),
);

export const ProfileUpdated = defineEvent(
  'customers.profile.updated',
  'The profile changed; `changed` names the fields.',
  Type.Object({ customerId: Id, name: Type.String(), phone: Type.Union([Type.String(), Type.Null()]), changed: Type.Array(Type.String()) }),
);

const AddressRef = Type.Object({ customerId: Id, addressId: Id });
export const AddressAdded = defineEvent('customers.address.added', 'An address was added to the address book.', AddressRef);
export const AddressUpdated = defineEvent('customers.address.updated', 'An address in the address book changed.', AddressRef);
export const AddressRemoved = defineEvent('customers.address.removed', 'An address was removed from the address book.', AddressRef);

export const RefreshTokenReused = defineEvent(
  'customers.refresh_token.reused',
  'A refresh token was presented after it had been rotated — a sign it was stolen. The whole session was revoked.',
  Type.Object({ customerId: Id, sessionId: Id }),
);
