/** Schemas of /v1/customers: profiles, address books, roles and invitations. */
import { Type, type Static } from 'typebox';
import { CustomerSchema } from './auth.ts';
import { Email, Nullable, PersonName, Phone, Role, Uuid, strict } from './common.ts';

/** A customer id, or `me` for the signed-in account. */
export const CustomerRef = Type.Union([Type.Literal('me'), Uuid]);

export const CustomerParams = Type.Object({ customerId: CustomerRef }, strict);
export const AddressParams = Type.Object({ customerId: CustomerRef, addressId: Uuid }, strict);

export const ProfilePatchSchema = Type.Object({ name: Type.Optional(PersonName), phone: Type.Optional(Nullable(Phone)) }, { ...strict, minProperties: 1 });
export type ProfilePatch = Static<typeof ProfilePatchSchema>;

const addressFields = {
  label: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50, description: 'e.g. Home, Work' }))),
  name: PersonName,
  company: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  line1: Type.String({ minLength: 1, maxLength: 200 }),
  line2: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  city: Type.String({ minLength: 1, maxLength: 100 }),
  region: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: 'State, province or county' }))),
  postalCode: Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9 -]+$' }),
  country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, e.g. US, DE' }),
  phone: Type.Optional(Nullable(Phone)),
  isDefaultShipping: Type.Optional(Type.Boolean()),
  isDefaultBilling: Type.Optional(Type.Boolean()),
};

export const AddressInputSchema = Type.Object(addressFields, strict);
export type AddressInput = Static<typeof AddressInputSchema>;

export const AddressPatchSchema = Type.Object(
  {
    label: addressFields.label,
    name: Type.Optional(addressFields.name),
    company: addressFields.company,
    line1: Type.Optional(addressFields.line1),
    line2: addressFields.line2,
    city: Type.Optional(addressFields.city),
    region: addressFields.region,
    postalCode: Type.Optional(addressFields.postalCode),
    country: Type.Optional(addressFields.country),
    phone: addressFields.phone,
    isDefaultShipping: addressFields.isDefaultShipping,
    isDefaultBilling: addressFields.isDefaultBilling,
  },
  { ...strict, minProperties: 1 },
);
export type AddressPatch = Static<typeof AddressPatchSchema>;

export const AddressSchema = Type.Object(
  {
    id: Uuid,
    label: Nullable(Type.String()),
    name: Type.String(),
    company: Nullable(Type.String()),
    line1: Type.String(),
    line2: Nullable(Type.String()),
    city: Type.String(),
    region: Nullable(Type.String()),
    postalCode: Type.String(),
    country: Type.String(),
    phone: Nullable(Type.String()),
    isDefaultShipping: Type.Boolean(),
    isDefaultBilling: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  strict,
);
export type AddressView = Static<typeof AddressSchema>;

export const AddressListSchema = Type.Object({ data: Type.Array(AddressSchema), nextCursor: Type.Null() }, strict);

export const CustomerListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    role: Type.Optional(Role),
    email: Type.Optional(Email),
  },
  strict,
);

export const CustomerPageSchema = Type.Object({ data: Type.Array(CustomerSchema), nextCursor: Nullable(Type.String()) }, strict);

export const RoleChangeSchema = Type.Object({ role: Role }, strict);

export const InvitationSchema = Type.Object({ email: Email, role: Type.Optional(Role) }, strict);
export type InvitationBody = Static<typeof InvitationSchema>;

export const InvitationViewSchema = Type.Object(
  { id: Uuid, email: Type.String(), role: Role, expiresAt: Type.String({ format: 'date-time' }) },
  strict,
);

