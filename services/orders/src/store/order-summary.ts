/**
 * The merchant's view of a period: orders and revenue per day, orders by
 * status and what sells, computed in PostgreSQL over every order of the
 * period (however many), per currency, days in UTC.
 */
import type { Knex } from 'knex';

/** Orders whose money the shop does not (or no longer) hold: not revenue. */
export const NOT_REVENUE = ['pending', 'cancelled', 'refunded'] as const;
const TOP_PRODUCTS = 6;
const DAY_MS = 86_400_000;

interface Money {
  amount: number;
  currency: string;
}

export interface CurrencySummary {
  currency: string;
  orders: number;
  /** Orders that count as revenue (not pending, cancelled or refunded). */
  paidOrders: number;
  /** Totals of the paid orders, less what was refunded of them. */
  revenue: Money;
  averageOrder: Money;
  daily: { date: string; orders: number; revenue: number }[];
  topProducts: { productId: string; title: string; units: number; revenue: Money }[];
}

export interface OrderSummary {
  from: string;
  to: string;
  days: number;
  orders: number;
  byStatus: { status: string; orders: number }[];
  /** Busiest currency first. */
  currencies: CurrencySummary[];
}

const notRevenue = NOT_REVENUE.map((s) => `'${s}'`).join(', ');

/** The last `days` UTC days, today included, up to `now`. */
export async function summarizeOrders(knex: Knex, days: number, now: Date): Promise<OrderSummary> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (days - 1) * DAY_MS);
  const dates = Array.from({ length: days }, (_, i) => new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10));

  const [counts, top] = await Promise.all([
    knex.raw<{ rows: { currency: string; day: string; status: string; orders: number; revenue: string }[] }>(
      `select currency, to_char(placed_at at time zone 'UTC', 'YYYY-MM-DD') as day, status,
              count(*)::int as orders, coalesce(sum(total - refunded), 0)::text as revenue
         from orders.orders
        where placed_at >= ? and placed_at <= ?
        group by 1, 2, 3`,
      [from, now],
    ),
    knex.raw<{ rows: { currency: string; product_id: string; title: string; units: number; revenue: string }[] }>(
      `select currency, product_id, title, units, revenue from (
         select o.currency, l->>'productId' as product_id,
                (array_agg(split_part(l->>'title', ' — ', 1) order by o.placed_at desc, o.id desc))[1] as title,
                sum((l->>'quantity')::int)::int as units,
                sum((l->>'lineTotal')::bigint)::text as revenue,
                row_number() over (partition by o.currency order by sum((l->>'lineTotal')::bigint) desc, l->>'productId') as rank
           from orders.orders o cross join lateral jsonb_array_elements(o.lines) l
          where o.placed_at >= ? and o.placed_at <= ? and o.status not in (${notRevenue})
          group by o.currency, l->>'productId'
       ) ranked
       where rank <= ?
       order by currency, rank`,
      [from, now, TOP_PRODUCTS],
    ),
  ]);

  const byStatus = new Map<string, number>();
  const currencies = new Map<string, CurrencySummary & { byDay: Map<string, { orders: number; revenue: number }> }>();
  for (const row of counts.rows) {
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + row.orders);
    let c = currencies.get(row.currency);
    if (!c) {
      c = { currency: row.currency, orders: 0, paidOrders: 0, revenue: { amount: 0, currency: row.currency }, averageOrder: { amount: 0, currency: row.currency }, daily: [], topProducts: [], byDay: new Map() };
      currencies.set(row.currency, c);
    }
    const day = c.byDay.get(row.day) ?? { orders: 0, revenue: 0 };
    c.byDay.set(row.day, day);
    c.orders += row.orders;
    day.orders += row.orders;
    if ((NOT_REVENUE as readonly string[]).includes(row.status)) continue;
    c.paidOrders += row.orders;
    c.revenue.amount += Number(row.revenue);
    day.revenue += Number(row.revenue);
  }
  for (const row of top.rows) {
    currencies.get(row.currency)?.topProducts.push({ productId: row.product_id, title: row.title, units: row.units, revenue: { amount: Number(row.revenue), currency: row.currency } });
  }

  const summaries = [...currencies.values()]
    .sort((a, b) => b.orders - a.orders || a.currency.localeCompare(b.currency))
    .map(({ byDay, ...c }) => ({
      ...c,
      averageOrder: { amount: c.paidOrders ? Math.round(c.revenue.amount / c.paidOrders) : 0, currency: c.currency },
      daily: dates.map((date) => ({ date, ...(byDay.get(date) ?? { orders: 0, revenue: 0 }) })),
    }));
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    days,
    orders: [...byStatus.values()].reduce((a, b) => a + b, 0),
    byStatus: [...byStatus.entries()].map(([status, orders]) => ({ status, orders })).sort((a, b) => b.orders - a.orders || a.status.localeCompare(b.status)),
    currencies: summaries,
  };
}
