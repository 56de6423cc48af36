// The storefront's API client and signed-in session (one per page load).
import { createApi, readJson, SessionStore } from '../shared/api.ts';

export const session = new SessionStore('fc.session');
export const api = createApi(session);

const ORDERS_KEY = 'fc.orders';

/** Orders placed on this device, so a guest can find them again. */
export function rememberOrder(id: string): void {
  const ids = readJson<string[]>(ORDERS_KEY) ?? [];
  localStorage.setItem(ORDERS_KEY, JSON.stringify([id, ...ids.filter((x) => x !== id)].slice(0, 20)));
}

export function rememberedOrders(): string[] {
  return readJson<string[]>(ORDERS_KEY) ?? [];
}
