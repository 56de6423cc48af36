/**
 * What a subscription listens to: exact event types (`orders.order.confirmed`),
 * prefixes (`orders.*`, `orders.order.*`) or everything (`*`). Events that
 * carry a one-time token or payment details go only to subscriptions that
 * name them exactly, never through a wildcard: subscribing to "everything"
 * must not quietly hand out password-reset links or card data.
 */
import type { FieldError } from '@fusioncommerce/platform';

/** Types whose data is a secret of someone else's: delivered only to subscriptions naming them exactly. */
export const SENSITIVE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'customers.email_verification.requested',
  'customers.password_reset.requested',
  'customers.invitation.created',
  'orders.payment.requested',
  'group-commerce.payment.requested',
]);

const isPrefix = (pattern: string): boolean => pattern === '*' || pattern.endsWith('.*');

/** Whether one pattern selects an event type. */
export function patternMatches(pattern: string, type: string): boolean {
  if (pattern === type) return true;
  if (!isPrefix(pattern) || SENSITIVE_EVENT_TYPES.has(type)) return false;
  return pattern === '*' || type.startsWith(pattern.slice(0, -1));
}

export function subscribesTo(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => patternMatches(pattern, type));
}

/**
 * Field errors for patterns that select nothing the shop publishes (a typo
 * would otherwise wait forever) and for repeats; empty when all are good.
 */
export function eventTypeErrors(patterns: readonly string[], known: readonly string[], prefix = '/body/eventTypes'): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  patterns.forEach((pattern, i) => {
    if (seen.has(pattern)) errors.push({ pointer: `${prefix}/${i}`, message: `repeats ${pattern}` });
    seen.add(pattern);
    if (isPrefix(pattern) ? !known.some((type) => pattern === '*' || type.startsWith(pattern.slice(0, -1))) : !known.includes(pattern)) {
      errors.push({ pointer: `${prefix}/${i}`, message: `${pattern} matches no event type the shop publishes` });
    }
  });
  return errors;
}
