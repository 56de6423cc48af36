/**
 * Amounts as the API and events show them, from stored minor units and the
 * deal's currency. Not the kernel's `money()`: that one validates what comes
 * in (and refuses, for one, an authorized amount past MAX_AMOUNT that a top
 * price × quantity can reach), where these only read back what was stored.
 */
import type { Money } from '@fusioncommerce/platform';

export const money = (amount: number, currency: string): Money => ({ amount, currency });
