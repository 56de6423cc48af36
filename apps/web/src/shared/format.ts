// Money, dates and labels as shoppers and merchants read them.
import type { Money } from './api.ts';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, f);
  }
  return f;
}

/** Minor units to a price: 1999 USD is $19.99, 500 JPY is ¥500. */
export function money(value: Money | null | undefined): string {
  if (!value) return '—';
  const f = formatter(value.currency);
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(value.amount / 10 ** digits);
}

export function minorUnits(currency: string): number {
  return formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "12.50" typed by a person to minor units, or null when it is not a price. */
export function parseMoney(text: string, currency: string): number | null {
  const t = text.trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Math.round(Number(t) * 10 ** minorUnits(currency));
}

export function toDecimal(amount: number, currency: string): string {
  const d = minorUnits(currency);
  return (amount / 10 ** d).toFixed(d);
}

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatDate = (iso: string) => dateOnly.format(new Date(iso));

/** `payment_declined` → "Payment declined". */
export function humanize(code: string): string {
  const s = code.replace(/[_.-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
