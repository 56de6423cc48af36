// Group deals in the admin console: deals with their groups, creating and archiving deals, groups in progress on the dashboard.
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf, query, type Page } from '../shared/api.ts';
import { formatDateTime, money, parseMoney } from '../shared/format.ts';
import { bestSaving, remaining, type Deal, type Group } from '../shared/groups.ts';
import { Link } from '../shared/router.tsx';
import type { Variant } from '../shared/types.ts';
import { Alert, Field, LoadMore, Select, StatusBadge, useAsync, usePaged } from '../shared/ui.tsx';
import { BarList } from './charts.tsx';
import { api } from './console.ts';

/** Whether this platform runs group buying (the service may not be mounted). */
export async function dealsAvailable(): Promise<boolean> {
  try {
    await api('/v1/group-deals?limit=1');
    return true;
  } catch {
    return false;
  }
}

export function DealsInProgress() {
  const groups = useAsync(async () => {
    try {
      return (await api<Page<Group>>('/v1/groups?status=open&limit=8')).data;
    } catch {
      return null;
    }
  }, []);
  if (groups.data === null || groups.data === undefined) return null;
  return (
    <section className="panel stack" aria-labelledby="groups-title">
      <h2 id="groups-title">Group deals in progress</h2>
      <BarList
        label="Open groups: members against the minimum group size"
        max={Math.max(1, ...groups.data.map((g) => g.minGroupSize))}
        items={groups.data.map((g) => ({ label: `${g.title.split(' — ')[0] ?? g.title} (${g.shareCode})`, value: g.members, display: `${g.members} / ${g.minGroupSize}` }))}
      />
      <Link to="/admin/group-deals">All group deals</Link>
    </section>
  );
}

export function DealsPage() {
  const [state, setState] = useState('any');
  const paged = usePaged((cursor) => api<Page<Deal>>(`/v1/group-deals${query({ state, limit: 20, cursor })}`), state);
  const groups = usePaged((cursor) => api<Page<Group>>(`/v1/groups${query({ status: 'open', limit: 20, cursor })}`), 'open');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const archive = async (deal: Deal) => {
    if (!window.confirm(`Archive the deal on ${deal.sku}? Open groups run to their deadlines.`)) return;
    try {
      await api(`/v1/group-deals/${deal.id}/archive`, { method: 'POST', body: { version: deal.version } });
      setMessage({ kind: 'success', text: 'Deal archived.' });
      paged.reload();
    } catch (e) {
      setMessage({ kind: 'error', text: messageOf(e) });
    }
  };
  const now = Date.now();
  return (
    <div className="stack-lg">
      <h1>Group deals</h1>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      <section className="stack" aria-labelledby="deals-title">
        <div className="row-between">
          <h2 id="deals-title">Deals</h2>
          <Select label="Show" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="any">All</option>
            <option value="live">Live</option>
            <option value="scheduled">Scheduled</option>
            <option value="ended">Ended</option>
            <option value="archived">Archived</option>
          </Select>
        </div>
        <table className="table">
          <caption className="visually-hidden">Group deals</caption>
          <thead>
            <tr><th scope="col">Deal</th><th scope="col">State</th><th scope="col">Tiers</th><th scope="col" className="num">Groups open / won / failed</th><th scope="col" className="num">Members</th><th scope="col">Ends</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {paged.items.map((d) => (
              <tr key={d.id}>
                <td>{d.title}<div className="muted small">{d.sku} · min {d.minGroupSize}{d.maxGroupSize ? `, max ${d.maxGroupSize}` : ''}</div></td>
                <td><StatusBadge status={d.state} /></td>
                <td>{d.tiers.map((t) => `${t.minParticipants}+: ${money(t.unitPrice)}`).join(' · ')} <span className="badge badge-deal">−{bestSaving(d.tiers)}%</span></td>
                <td className="num">{d.groups.open} / {d.groups.succeeded} / {d.groups.failed}</td>
                <td className="num">{d.activeMembers}</td>
                <td>{formatDateTime(d.endsAt)}</td>
                <td>{d.state !== 'archived' ? <button type="button" className="btn btn-sm" onClick={() => void archive(d)}>Archive</button> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <LoadMore paged={paged} />
      </section>
      <section className="stack" aria-labelledby="open-groups-title">
        <h2 id="open-groups-title">Open groups</h2>
        <table className="table">
          <caption className="visually-hidden">Open groups</caption>
          <thead><tr><th scope="col">Group</th><th scope="col">Deal</th><th scope="col" className="num">Members</th><th scope="col" className="num">Price now</th><th scope="col">Time left</th></tr></thead>
          <tbody>
            {groups.items.map((g) => (
              <tr key={g.id}>
                <td><a href={`/groups/${g.shareCode}`}>{g.shareCode}</a></td>
                <td>{g.title}</td>
                <td className="num">{g.members} / {g.minGroupSize}</td>
                <td className="num">{money(g.currentUnitPrice)}</td>
                <td>{remaining(g.deadlineAt, now) ?? 'ended'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!groups.loading && groups.items.length === 0 ? <p className="muted">No open groups.</p> : null}
      </section>
      <NewDeal onCreated={() => paged.reload()} />
    </div>
  );
}

function NewDeal({ onCreated }: { onCreated: () => void }) {
  const [f, setF] = useState({ sku: '', tiers: '', minGroupSize: '2', maxGroupSize: '', windowHours: '48', perCustomerLimit: '2', endsAt: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setMessage(null);
    try {
      const found = await api<{ data: Variant[] }>(`/v1/variants?skus=${encodeURIComponent(f.sku.trim())}`);
      const variant = found.data[0];
      if (!variant) {
        setErrors({ '/variantId': 'No published variant has this SKU.' });
        return;
      }
      const currency = variant.price.currency;
      const tiers = f.tiers.split(/[\n,]+/).map((line) => line.trim()).filter(Boolean).map((line) => {
        const [n, price] = line.split(/[:=]/).map((s) => s.trim());
        return { minParticipants: Number(n), unitPrice: { amount: parseMoney(price ?? '', currency) ?? -1, currency } };
      });
      const body = {
        variantId: variant.id,
        tiers,
        minGroupSize: Number(f.minGroupSize),
        ...(f.maxGroupSize ? { maxGroupSize: Number(f.maxGroupSize) } : {}),
        groupWindowSeconds: Math.round(Number(f.windowHours) * 3600),
        perCustomerLimit: Number(f.perCustomerLimit),
        endsAt: f.endsAt ? new Date(`${f.endsAt}T23:59:59`).toISOString() : new Date(Date.now() + 30 * 86_400_000).toISOString(),
      };
      await api('/v1/group-deals', { method: 'POST', body });
      setMessage({ kind: 'success', text: `Deal created on ${variant.sku}.` });
      onCreated();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setMessage({ kind: 'error', text: messageOf(err) });
    }
  };
  const tierError = Object.entries(errors).find(([k]) => k.startsWith('/tiers'))?.[1];
  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-labelledby="new-deal-title">
      <h2 id="new-deal-title">New group deal</h2>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      <div className="row">
        <Field label="Variant SKU" value={f.sku} onChange={set('sku')} error={errors['/variantId']} />
        <Field label="Tiers" value={f.tiers} onChange={set('tiers')} placeholder="1: 24.00, 2: 21.00, 5: 18.00" error={tierError} hint="Members: unit price, separated by commas." />
      </div>
      <div className="row">
        <Field label="Minimum group size" type="number" min={2} value={f.minGroupSize} onChange={set('minGroupSize')} error={errors['/minGroupSize']} />
        <Field label="Maximum group size" type="number" min={2} value={f.maxGroupSize} onChange={set('maxGroupSize')} error={errors['/maxGroupSize']} hint="Optional." />
        <Field label="Group window (hours)" type="number" min={1} value={f.windowHours} onChange={set('windowHours')} error={errors['/groupWindowSeconds']} />
        <Field label="Per-customer limit" type="number" min={1} value={f.perCustomerLimit} onChange={set('perCustomerLimit')} error={errors['/perCustomerLimit']} />
        <Field label="Deal ends" type="date" value={f.endsAt} onChange={set('endsAt')} error={errors['/endsAt']} hint="Default: in 30 days." />
      </div>
      <button type="submit" className="btn btn-primary">Create deal</button>
    </form>
  );
}
