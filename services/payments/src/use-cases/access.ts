/**
 * Who may see or act on a payment from the checkout: an admin, or whoever holds
 * the payment's client secret (handed out once, when the payment is created).
 * Anyone else is told the payment does not exist.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Payment } from '../domain/payment.ts';

export type Access = { admin: true } | { admin: false; clientSecret: string | undefined };

export function newClientSecret(paymentId: string): string {
  return `${paymentId}_secret_${randomBytes(24).toString('base64url')}`;
}

export function canAccess(payment: Payment, access: Access): boolean {
  if (access.admin) return true;
  if (!access.clientSecret) return false;
  const given = Buffer.from(access.clientSecret);
  const expected = Buffer.from(payment.state.clientSecret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
