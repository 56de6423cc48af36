// The dashboard: the last 30 days of orders and revenue, what sells, what runs low, deals in progress.
import { query, type Page } from '../shared/api.ts';
import { money } from '../shared/format.ts';
import { Link } from '../shared/router.tsx';
import type { Order } from '../shared/types.ts';
import { Alert, Spinner, useAsync } from '../shared/ui.tsx';
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

const DAYS = 30;
const NOT_REVENUE = new Set(['cancelled', 'pending', 'refunded']);
const STATUS_COLOURS: Record<string, string> = { confirmed: '#0f766e', shipped: '#2563eb', delivered: '#0891b2', fulfilled: '#0891b2', pending: '#d97706', cancelled: '#dc2626', refunded: '#9f1239', partially_refunded: '#db2777' };

async function recentOrders(): Promise<Order[]> {
  const from = new Date(Date.now() - DAYS * 86_400_000).toISOString();
  const out: Order[] = [];
  let cursor: string | null = null;
  // Up to 1,000 orders: a dashboard, not a report.
  for (let i = 0; i < 10; i++) {
    const page: Page<Order> = await api<Page<Order>>(`/v1/admin/orders${query({ placedFrom: from, limit: 100, cursor })}`);
    out.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

function byDay(orders: Order[]): DayPoint[] {
  const days = new Map<string, DayPoint>();
  for (let i = DAYS - 1; i >= 0; i--) {
    const date = new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
    days.set(date, { date, orders: 0, revenue: 0 });
  }
  for (const o of orders) {
    const d = days.get(o.placedAt.slice(0, 10));
    if (!d) continue;
    d.orders += 1;
    if (!NOT_REVENUE.has(o.status)) d.revenue += o.total.amount - o.refunded.amount;
  }
  return [...days.values()];
}

export function Dashboard() {
  const orders = useAsync(recentOrders, []);
  const lowStock = useAsync(async () => {
    const [low, out] = await Promise.all([
      api<Page<StockItem>>('/v1/inventory/items?state=low_stock&limit=8'),
      api<Page<StockItem>>('/v1/inventory/items?state=out_of_stock&limit=8'),
    ]);
    return [...out.data, ...low.data].slice(0, 8);
  }, []);
  const list = orders.data ?? [];
  const currency = list[0]?.total.currency ?? 'USD';
  const days = byDay(list);
  const revenue = days.reduce((s, d) => s + d.revenue, 0);
  const counted = list.filter((o) => !NOT_REVENUE.has(o.status));
  const fmt = (minor: number) => money({ amount: Math.round(minor), currency });

  const top = new Map<string, { label: string; value: number; units: number }>();
  for (const o of counted) {
    for (const l of o.lines) {
      const key = l.productId;
      const t = top.get(key) ?? { label: l.title.split(' — ')[0] ?? l.title, value: 0, units: 0 };
      t.value += l.lineTotal.amount;
      t.units += l.quantity;
      top.set(key, t);
    }
  }
  const topProducts = [...top.values()].sort((a, b) => b.value - a.value).slice(0, 6);
  const statuses = new Map<string, number>();
  for (const o of list) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);

  return (
    <div className="stack-lg">
      <h1>Dashboard</h1>
      {orders.error ? <Alert>{orders.error}</Alert> : null}
      <div className="kpis">
        <div className="kpi">
          <span className="muted">Revenue, {DAYS} days</span>
          <strong>{orders.loading ? '…' : fmt(revenue)}</strong>
          <Sparkline values={days.map((d) => d.revenue)} label="Revenue per day" />
        </div>
        <div className="kpi">
          <span className="muted">Orders, {DAYS} days</span>
          <strong>{orders.loading ? '…' : list.length}</strong>
          <Sparkline values={days.map((d) => d.orders)} label="Orders per day" />
        </div>
        <div className="kpi">
          <span className="muted">Average order</span>
          <strong>{orders.loading ? '…' : fmt(counted.length ? revenue / counted.length : 0)}</strong>
        </div>
        <div className="kpi">
          <span className="muted">Low or out of stock</span>
          <strong>{lowStock.loading ? '…' : (lowStock.data?.length ?? 0)}{(lowStock.data?.length ?? 0) >= 8 ? '+' : ''}</strong>
        </div>
      </div>
      <section className="panel" aria-labelledby="chart-title">
        <h2 id="chart-title">Orders and revenue over {DAYS} days</h2>
        {orders.loading ? <Spinner /> : <OrdersRevenueChart days={days} formatRevenue={fmt} label={`Orders and revenue per day for the last ${DAYS} days: ${list.length} orders, ${fmt(revenue)}`} />}
      </section>
      <div className="two-col">
        <section className="panel stack" aria-labelledby="top-title">
          <h2 id="top-title">Top products</h2>
          <BarList label="Top products by revenue" items={topProducts.map((t) => ({ label: t.label, value: t.value, display: fmt(t.value) }))} />
        </section>
        <section className="panel stack" aria-labelledby="status-title">
          <h2 id="status-title">Orders by status</h2>
          <Donut label="Orders by status" center={String(list.length)} parts={[...statuses.entries()].map(([label, value]) => ({ label, value, color: STATUS_COLOURS[label] ?? '#78716c' }))} />
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
