/** Accounts as the rest of the service sees them: roles, email rules and the public view. */
export type Role = 'customer' | 'admin';

export const ROLES: readonly Role[] = ['customer', 'admin'];

/** Emails compare case-insensitively: `Ann@Shop.example` and `ann@shop.example` are one mailbox. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface Account {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  emailVerifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomerView {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  emailVerified: boolean;
  createdAt: string;
  updatedAt: string;
}

export function customerView(account: Account): CustomerView {
  return {
    id: account.id,
    email: account.email,
    name: account.name,
    phone: account.phone,
    role: account.role,
    emailVerified: account.emailVerifiedAt !== null,
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Account ids are UUIDs; a token from elsewhere may name a subject that is not one. */
export function isAccountId(value: string): boolean {
  return UUID.test(value);
}

/** Addresses a customer may keep; enough for any household, small enough to list without paging. */
export const MAX_ADDRESSES = 50;
