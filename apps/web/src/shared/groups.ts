// Group buying shapes (services/group-commerce) and the tier arithmetic both apps show.
import type { Money } from './api.ts';

export interface Tier {
  minParticipants: number;
  unitPrice: Money;
}

export interface Deal {
  id: string;
  variantId: string;
  productId: string;
  sku: string;
  title: string;
  tiers: Tier[];
  authorizedUnitPrice: Money;
  minGroupSize: number;
  maxGroupSize: number | null;
  groupWindowSeconds: number;
  perCustomerLimit: number;
  startsAt: string;
  endsAt: string;
  status: string;
  state: string;
  groups: { open: number; succeeded: number; failed: number };
  activeMembers: number;
  version: number;
}

export interface Group {
  id: string;
  shareCode: string;
  shareUrl: string;
  dealId: string;
  variantId: string;
  productId: string;
  title: string;
  status: 'open' | 'succeeded' | 'failed';
  members: number;
  seats: number;
  seatsLeft: number | null;
  minGroupSize: number;
  maxGroupSize: number | null;
  membersNeeded: number;
  tiers: Tier[];
  currentUnitPrice: Money | null;
  nextTier: { minParticipants: number; unitPrice: Money; membersNeeded: number } | null;
  finalUnitPrice: Money | null;
  deadlineAt: string;
  closeReason: string | null;
  createdAt: string;
}

/** The best saving of the ladder against its first tier, in whole percent. */
export function bestSaving(tiers: Tier[]): number {
  const prices = tiers.map((t) => t.unitPrice.amount);
  const top = Math.max(...prices);
  const low = Math.min(...prices);
  return top > 0 ? Math.round(((top - low) / top) * 100) : 0;
}

/** "2d 03:04:05" until `iso`, or null once it has passed. */
export function remaining(iso: string, now: number): string | null {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return null;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const hh = String(Math.floor((s % 86_400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${d > 0 ? `${d}d ` : ''}${hh}:${mm}:${ss}`;
}
