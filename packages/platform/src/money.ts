/** Money: an integer amount in minor units and an ISO 4217 code. Never a float. */
import { AppError } from './errors.ts';

export interface Money {
  amount: number;
  currency: string;
}

export const CURRENCY_PATTERN = '^[A-Z]{3}$';
export const MAX_AMOUNT = 100_000_000_00; // 100 million in major units: well past any one price

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > MAX_AMOUNT) {
    throw new AppError('MONEY.INVALID_AMOUNT', 'invalid', `An amount must be a whole number of minor units from 0 to ${MAX_AMOUNT}.`);
  }
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new AppError('MONEY.INVALID_CURRENCY', 'invalid', 'A currency is a three-letter ISO 4217 code such as USD.');
  }
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new AppError('MONEY.CURRENCY_MISMATCH', 'invalid', `Cannot add ${a.currency} and ${b.currency}.`);
  }
  return money(a.amount + b.amount, a.currency);
}
