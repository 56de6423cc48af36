// Money, dates, addresses and labels as shoppers and merchants read them.
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

/** Digits after the decimal point in `currency`: 2 for USD, 0 for JPY. */
export function minorUnits(currency: string): number {
  return formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units to a price: 1999 USD is $19.99, 500 JPY is ¥500. */
export function money(value: Money | null | undefined): string {
  if (!value) return '—';
  return formatter(value.currency).format(value.amount / 10 ** minorUnits(value.currency));
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

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));

/** An order's shipping address as the lines of a label: name, street, "postal code city", region, country (and the phone when asked). */
export function formatAddress(address: Record<string, string | undefined>, options: { phone?: boolean } = {}): string[] {
  const a = address;
  return [a.name, a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country, options.phone ? a.phone : undefined].filter((line): line is string => Boolean(line));
}

/** `payment_declined` → "Payment declined". */
export function humanize(code: string): string {
  const s = code.replace(/[_.-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
