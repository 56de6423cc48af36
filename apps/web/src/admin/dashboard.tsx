// The dashboard: the last 30 days of orders and revenue, what sells, what runs low, deals in progress.
// The figures come from the orders service's summary, computed over every order of the period.
import { useState } from 'react';
import { type Page } from '../shared/api.ts';
import { money } from '../shared/format.ts';
import { Link } from '../shared/router.tsx';
import { Alert, Select, Spinner, useAsync } from '../shared/ui.tsx';
import { BarList, Donut, OrdersRevenueChart, Sparkline, type DayPoint } from './charts.tsx';
import { api } from './console.ts';
import { DealsInProgress } from './deals.tsx';

interface StockItem {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number | null;
  effectiveThreshold: number;
  state: 'in_stock' | 'low_stock' | 'out_of_stock';
}

interface Money {
  amount: number;
  currency: string;
}

interface CurrencySummary {
  currency: string;
  orders: number;
  paidOrders: number;
  revenue: Money;
  averageOrder: Money;
  daily: DayPoint[];
  topProducts: { productId: string; title: string; units: number; revenue: Money }[];
}

interface OrderSummary {
  days: number;
  orders: number;
  byStatus: { status: string; orders: number }[];
  currencies: CurrencySummary[];
}

const DAYS = 30;
const STATUS_COLOURS: Record<string, string> = { confirmed: '#0f766e', shipped: '#2563eb', delivered: '#0891b2', fulfilled: '#0891b2', pending: '#d97706', cancelled: '#dc2626', refunded: '#9f1239', partially_refunded: '#db2777' };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function Dashboard() {
  const summary = useAsync(() => api<OrderSummary>(`/v1/admin/orders/summary?days=${DAYS}`), []);
  const lowStock = useAsync(async () => {
    const [low, out] = await Promise.all([
      api<Page<StockItem>>('/v1/inventory/items?state=low_stock&limit=8'),
      api<Page<StockItem>>('/v1/inventory/items?state=out_of_stock&limit=8'),
    ]);
    return [...out.data, ...low.data].slice(0, 8);
  }, []);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const currencies = summary.data?.currencies ?? [];
  const shown = currencies.find((c) => c.currency === chosen) ?? currencies[0];
  const currency = shown?.currency ?? 'USD';
  const days: DayPoint[] = shown?.daily ?? [];
  const revenue = shown?.revenue.amount ?? 0;
  const orders = summary.data?.orders ?? 0;
  const fmt = (minor: number) => money({ amount: Math.round(minor), currency });
  const loading = summary.loading;

  return (
    <div className="stack-lg">
      <h1>Dashboard</h1>
      {summary.error ? <Alert>{summary.error}</Alert> : null}
      {currencies.length > 1 ? (
        <Select label="Currency" value={currency} onChange={(e) => setChosen(e.target.value)}>
          {currencies.map((c) => (
            <option key={c.currency} value={c.currency}>
              {c.currency} ({plural(c.orders, 'order', 'orders')})
            </option>
          ))}
        </Select>
      ) : null}
      <div className="kpis">
        <div className="kpi">
          <span className="muted">Revenue, {DAYS} days</span>
          <strong>{loading ? '…' : fmt(revenue)}</strong>
          <Sparkline values={days.map((d) => d.revenue)} label="Revenue per day" />
        </div>
        <div className="kpi">
          <span className="muted">Orders, {DAYS} days</span>
          <strong>{loading ? '…' : orders}</strong>
          <Sparkline values={days.map((d) => d.orders)} label="Orders per day" />
        </div>
        <div className="kpi">
          <span className="muted">Average order</span>
          <strong>{loading ? '…' : fmt(shown?.averageOrder.amount ?? 0)}</strong>
        </div>
        <div className="kpi">
          <span className="muted">Low or out of stock</span>
          <strong>{lowStock.loading ? '…' : (lowStock.data?.length ?? 0)}{(lowStock.data?.length ?? 0) >= 8 ? '+' : ''}</strong>
        </div>
      </div>
      <section className="panel" aria-labelledby="chart-title">
        <h2 id="chart-title">Orders and revenue over {DAYS} days</h2>
        {loading ? <Spinner /> : <OrdersRevenueChart days={days} formatRevenue={fmt} label={`Orders and revenue per day for the last ${DAYS} days: ${plural(shown?.orders ?? 0, 'order', 'orders')}, ${fmt(revenue)}`} />}
      </section>
      <div className="two-col">
        <section className="panel stack" aria-labelledby="top-title">
          <h2 id="top-title">Top products</h2>
          <BarList label="Top products by revenue" items={(shown?.topProducts ?? []).map((t) => ({ label: t.title, value: t.revenue.amount, display: fmt(t.revenue.amount) }))} />
        </section>
        <section className="panel stack" aria-labelledby="status-title">
          <h2 id="status-title">Orders by status</h2>
          <Donut label="Orders by status" center={String(orders)} parts={(summary.data?.byStatus ?? []).map(({ status, orders: value }) => ({ label: status, value, color: STATUS_COLOURS[status] ?? '#78716c' }))} />
        </section>
        <section className="panel stack" aria-labelledby="low-title">
          <h2 id="low-title">Low stock</h2>
          {lowStock.loading ? <Spinner /> : (
            <BarList
              label="Stock available against the low-stock threshold"
              max={Math.max(1, ...(lowStock.data ?? []).map((i) => i.effectiveThreshold))}
              items={(lowStock.data ?? []).map((i) => ({ label: i.sku, value: i.available, display: `${i.available} / ${i.effectiveThreshold}`, tone: i.available <= 0 ? 'danger' : 'warn' }))}
            />
          )}
          <Link to="/admin/inventory">Inventory</Link>
        </section>
        <DealsInProgress />
      </div>
    </div>
  );
}
