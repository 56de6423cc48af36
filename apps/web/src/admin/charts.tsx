/**
 * Hand-made SVG charts for the dashboard: a daily orders/revenue chart, a
 * ranked bar list and a donut. Each is an <svg role="img"> with a label that
 * says what it shows, and <title>s for the exact numbers on hover.
 */
import { useState } from 'react';

export interface DayPoint {
  date: string; // YYYY-MM-DD
  orders: number;
  revenue: number; // minor units
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  const f = value / exp;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
}

const shortDate = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function OrdersRevenueChart({ days, formatRevenue, label }: { days: DayPoint[]; formatRevenue: (minor: number) => string; label: string }) {
  const [hover, setHover] = useState<number | null>(null);
  const W = 720;
  const H = 260;
  const pad = { l: 44, r: 64, t: 16, b: 28 };
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  // Whole orders on the left axis: at least 0–4, so each of the five ticks is an integer.
  const maxOrders = Math.max(4, Math.ceil(niceMax(Math.max(0, ...days.map((d) => d.orders))) / 4) * 4);
  const maxRevenue = niceMax(Math.max(0, ...days.map((d) => d.revenue)));
  const step = iw / Math.max(days.length, 1);
  const barW = Math.max(2, step * 0.6);
  const x = (i: number) => pad.l + step * i + step / 2;
  const yO = (v: number) => pad.t + ih - (v / maxOrders) * ih;
  const yR = (v: number) => pad.t + ih - (v / maxRevenue) * ih;
  const line = days.map((d, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${yR(d.revenue).toFixed(1)}`).join(' ');
  const area = days.length ? `${line} L${x(days.length - 1).toFixed(1)},${pad.t + ih} L${x(0).toFixed(1)},${pad.t + ih} Z` : '';
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const h = hover === null ? null : days[hover];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} onMouseLeave={() => setHover(null)}>
        <defs>
          <linearGradient id="rev-fill" x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor="#0f766e" stopOpacity="0.25" />
            <stop offset="100%" stopColor="#0f766e" stopOpacity="0" />
          </linearGradient>
        </defs>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={W - pad.r} y1={pad.t + ih * (1 - t)} y2={pad.t + ih * (1 - t)} stroke="#e7e5e4" />
            <text x={pad.l - 6} y={pad.t + ih * (1 - t) + 4} textAnchor="end" className="axis">{Math.round(maxOrders * t)}</text>
            <text x={W - pad.r + 6} y={pad.t + ih * (1 - t) + 4} className="axis">{formatRevenue(maxRevenue * t)}</text>
          </g>
        ))}
        {days.map((d, i) => (
          <rect key={d.date} x={x(i) - barW / 2} y={yO(d.orders)} width={barW} height={pad.t + ih - yO(d.orders)} rx={2} fill={hover === i ? '#6366f1' : '#a5b4fc'}>
            <title>{`${d.date}: ${d.orders} orders, ${formatRevenue(d.revenue)}`}</title>
          </rect>
        ))}
        {area ? <path d={area} fill="url(#rev-fill)" /> : null}
        {line ? <path d={line} fill="none" stroke="#0f766e" strokeWidth={2.5} strokeLinejoin="round" /> : null}
        {days.map((d, i) =>
          i % Math.ceil(days.length / 7) === 0 ? (
            <text key={d.date} x={x(i)} y={H - 8} textAnchor="middle" className="axis">{shortDate.format(new Date(`${d.date}T00:00:00Z`))}</text>
          ) : null,
        )}
        {days.map((d, i) => (
          <rect key={`hit-${d.date}`} x={pad.l + step * i} y={pad.t} width={step} height={ih} fill="transparent" onMouseEnter={() => setHover(i)} />
        ))}
        {h && hover !== null ? (
          <g pointerEvents="none">
            <line x1={x(hover)} x2={x(hover)} y1={pad.t} y2={pad.t + ih} stroke="#78716c" strokeDasharray="3 3" />
            <circle cx={x(hover)} cy={yR(h.revenue)} r={4} fill="#0f766e" />
          </g>
        ) : null}
      </svg>
      <figcaption className="legend">
        <span><i className="swatch" style={{ background: '#a5b4fc' }} /> Orders (left axis)</span>
        <span><i className="swatch" style={{ background: '#0f766e' }} /> Revenue (right axis)</span>
        {h ? <strong>{shortDate.format(new Date(`${h.date}T00:00:00Z`))}: {h.orders} orders · {formatRevenue(h.revenue)}</strong> : null}
      </figcaption>
    </figure>
  );
}

export interface BarItem {
  label: string;
  value: number;
  display: string;
  href?: string;
  tone?: 'brand' | 'warn' | 'danger';
}

const TONES = { brand: '#0f766e', warn: '#d97706', danger: '#dc2626' } as const;

export function BarList({ items, label, max }: { items: BarItem[]; label: string; max?: number }) {
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  const rowH = 30;
  const W = 480;
  const labelW = 190;
  const valueW = 90;
  const barSpace = W - labelW - valueW;
  if (items.length === 0) return <p className="muted">Nothing to show yet.</p>;
  return (
    <svg viewBox={`0 0 ${W} ${items.length * rowH}`} role="img" aria-label={label} className="barlist">
      {items.map((item, i) => {
        const w = Math.max(2, (item.value / top) * barSpace);
        return (
          <g key={item.label} transform={`translate(0 ${i * rowH})`}>
            <title>{`${item.label}: ${item.display}`}</title>
            <text x={0} y={rowH / 2 + 4} className="bar-label">{item.label.length > 26 ? `${item.label.slice(0, 25)}…` : item.label}</text>
            <rect x={labelW} y={6} width={barSpace} height={rowH - 12} rx={4} fill="#f5f5f4" />
            <rect x={labelW} y={6} width={w} height={rowH - 12} rx={4} fill={TONES[item.tone ?? 'brand']} />
            <text x={W} y={rowH / 2 + 4} textAnchor="end" className="bar-value">{item.display}</text>
          </g>
        );
      })}
    </svg>
  );
}

export interface DonutPart {
  label: string;
  value: number;
  color: string;
}

export function Donut({ parts, label, center }: { parts: DonutPart[]; label: string; center: string }) {
  const total = parts.reduce((s, p) => s + p.value, 0);
  const R = 70;
  const C = 2 * Math.PI * R;
  let offset = 0;
  return (
    <div className="donut">
      <svg viewBox="0 0 180 180" role="img" aria-label={label}>
        <circle cx={90} cy={90} r={R} fill="none" stroke="#f5f5f4" strokeWidth={22} />
        {total > 0
          ? parts.map((p) => {
              const len = (p.value / total) * C;
              const el = (
                <circle key={p.label} cx={90} cy={90} r={R} fill="none" stroke={p.color} strokeWidth={22} strokeDasharray={`${len} ${C - len}`} strokeDashoffset={-offset} transform="rotate(-90 90 90)">
                  <title>{`${p.label}: ${p.value}`}</title>
                </circle>
              );
              offset += len;
              return el;
            })
          : null}
        <text x={90} y={96} textAnchor="middle" className="donut-center">{center}</text>
      </svg>
      <ul className="legend-list">
        {parts.map((p) => (
          <li key={p.label}><i className="swatch" style={{ background: p.color }} /> {p.label} <strong>{p.value}</strong></li>
        ))}
      </ul>
    </div>
  );
}

/** A tiny trend line for a KPI card. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const W = 120;
  const H = 32;
  const max = Math.max(1, ...values);
  const step = W / Math.max(values.length - 1, 1);
  const d = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(H - 2 - (v / max) * (H - 4)).toFixed(1)}`).join(' ');
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label} className="spark">
      <path d={d} fill="none" stroke="#0f766e" strokeWidth={2} />
    </svg>
  );
}
