/**
 * Group buying on the storefront: the deal badge and tier ladder on the
 * product page, starting a group, the share link, joining by link, and a live
 * countdown and member count on the group's page.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, messageOf, useIdempotentSend, useSession, type Page } from '../shared/api.ts';
import { money } from '../shared/format.ts';
import { bestSaving, remaining, type Deal, type Group, type Tier } from '../shared/groups.ts';
import { Link, navigate } from '../shared/router.tsx';
import type { Product, Variant } from '../shared/types.ts';
import { Alert, Field, Spinner, StatusBadge, useAsync } from '../shared/ui.tsx';
import { api, session as sessionStore } from './shop.ts';

function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function TierLadder({ tiers, members }: { tiers: Tier[]; members?: number }) {
  const reached = members === undefined ? -1 : tiers.reduce((at, t, i) => (members >= t.minParticipants ? i : at), -1);
  return (
    <ol className="tiers" aria-label="Price tiers">
      {tiers.map((t, i) => (
        <li key={t.minParticipants} className={`tier ${i === reached ? 'tier-reached' : ''}`} aria-current={i === reached ? 'step' : undefined}>
          <div className="small">{t.minParticipants}+ {t.minParticipants === 1 ? 'buyer' : 'buyers'}</div>
          <strong>{money(t.unitPrice)}</strong>
        </li>
      ))}
    </ol>
  );
}

export function Countdown({ until }: { until: string }) {
  const now = useNow();
  const left = remaining(until, now);
  return <span className="countdown" role="timer" aria-label={left ? `Time left ${left}` : 'Ended'}>{left ?? 'Ended'}</span>;
}

/** Shipping address, quantity and card for a seat in a group (start or join). */
function SeatForm({ submitLabel, limit, onSubmit }: { submitLabel: string; limit: number; onSubmit: (body: Record<string, unknown>) => Promise<void> }) {
  const [f, setF] = useState({ quantity: '1', name: '', line1: '', city: '', postalCode: '', country: 'US', card: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setErrors({});
    try {
      await onSubmit({
        quantity: Number(f.quantity) || 1,
        shippingAddress: { name: f.name.trim(), line1: f.line1.trim(), city: f.city.trim(), postalCode: f.postalCode.trim(), country: f.country.trim().toUpperCase() },
        payment: { method: f.card.replace(/[\s-]/g, '') },
      });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={submitLabel}>
      {error ? <Alert>{error}</Alert> : null}
      <div className="row">
        <Field label="Quantity" type="number" min={1} max={limit} value={f.quantity} onChange={set('quantity')} error={errors['/quantity']} className="field-sm" />
        <Field label="Full name" autoComplete="name" value={f.name} onChange={set('name')} error={errors['/shippingAddress/name']} />
      </div>
      <Field label="Street address" autoComplete="address-line1" value={f.line1} onChange={set('line1')} error={errors['/shippingAddress/line1']} />
      <div className="row">
        <Field label="City" autoComplete="address-level2" value={f.city} onChange={set('city')} error={errors['/shippingAddress/city']} />
        <Field label="Postal code" autoComplete="postal-code" value={f.postalCode} onChange={set('postalCode')} error={errors['/shippingAddress/postalCode']} />
        <Field label="Country code" autoComplete="country" maxLength={2} value={f.country} onChange={set('country')} error={errors['/shippingAddress/country']} className="field-sm" />
      </div>
      <Field label="Card number" inputMode="numeric" autoComplete="cc-number" value={f.card} onChange={set('card')} error={errors['/payment/method']} hint="The card is authorized now and charged the final tier price only if the group succeeds." />
      <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'One moment…' : submitLabel}</button>
    </form>
  );
}

export function GroupDealPanel({ product, variant }: { product: Product; variant: Variant | undefined }) {
  const session = useSession(sessionStore);
  const [starting, setStarting] = useState(false);
  const sendOnce = useIdempotentSend();
  const deals = useAsync(async () => {
    try {
      return (await api<Page<Deal>>(`/v1/group-deals?productId=${product.id}&limit=10`)).data;
    } catch {
      return [] as Deal[]; // no group buying on this platform (yet)
    }
  }, [product.id]);
  const deal = deals.data?.find((d) => d.variantId === variant?.id) ?? deals.data?.[0];
  const open = useAsync(async () => (deal ? (await api<Page<Group>>(`/v1/group-deals/${deal.id}/groups?status=open&limit=5`)).data : []), [deal?.id]);
  if (!deal) return null;
  const dealVariant = product.variants.find((v) => v.id === deal.variantId);
  return (
    <section className="deal stack" aria-labelledby="deal-title">
      <h2 id="deal-title">
        Group deal <span className="badge badge-deal">Save up to {bestSaving(deal.tiers)}%</span>
      </h2>
      <p className="small">
        On <strong>{dealVariant?.title ?? deal.sku}</strong>. Start a group and share the link: when {deal.minGroupSize} people join
        within {Math.round(deal.groupWindowSeconds / 3600)} hours, everyone pays the tier price the group reached.
      </p>
      <TierLadder tiers={deal.tiers} />
      {(open.data ?? []).length > 0 ? (
        <div className="stack">
          <h3 className="small">Open groups you can join</h3>
          <ul className="summary-lines">
            {(open.data ?? []).map((g) => (
              <li key={g.id} className="row-between">
                <span>{g.members} of {g.minGroupSize} joined · <Countdown until={g.deadlineAt} /> left</span>
                <Link to={`/groups/${g.shareCode}`}>Join this group</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!session ? (
        <p><Link to={`/account?next=/p/${product.slug}`}>Sign in</Link> to start a group.</p>
      ) : starting ? (
        <SeatForm
          submitLabel="Start the group"
          limit={deal.perCustomerLimit}
          onSubmit={async (body) => {
            const r = await sendOnce((key) => api<{ group: Group }>('/v1/groups', { method: 'POST', headers: { 'idempotency-key': key }, body: { dealId: deal.id, ...body } }));
            navigate(`/groups/${r.group.shareCode}?started=1`);
          }}
        />
      ) : (
        <button type="button" className="btn" onClick={() => setStarting(true)}>Start a group</button>
      )}
    </section>
  );
}

export function GroupPage({ code }: { code: string }) {
  const session = useSession(sessionStore);
  const state = useAsync(() => api<Group>(`/v1/groups/${encodeURIComponent(code)}`), [code]);
  const [joined, setJoined] = useState(false);
  const [copied, setCopied] = useState(false);
  const sendOnce = useIdempotentSend();
  const { reload } = state;
  const open = state.data?.status === 'open';
  // Live member count while others can still join; a closed group no longer changes.
  useEffect(() => {
    if (!open) return;
    const t = setInterval(reload, 5000);
    return () => clearInterval(t);
  }, [open, reload]);
  if (state.loading && !state.data) return <Spinner label="Loading group" />;
  if (!state.data) return <Alert>{state.error ?? 'This group does not exist.'}</Alert>;
  const g = state.data;
  const link = `${window.location.origin}/groups/${g.shareCode}`;
  const started = new URLSearchParams(window.location.search).get('started') === '1';
  const progress = Math.min(100, Math.round((g.members / Math.max(g.minGroupSize, 1)) * 100));
  return (
    <div className="stack-lg">
      <div className="stack">
        <h1>Group: {g.title}</h1>
        <p><StatusBadge status={g.status} /> {g.status === 'open' ? <>Closes in <Countdown until={g.deadlineAt} /></> : null}</p>
        {started ? <Alert kind="success" title="Your group is open">Share the link below: the price drops as people join.</Alert> : null}
        {joined ? <Alert kind="success" title="You are in">Your card is authorized; you pay the final tier price once the group succeeds.</Alert> : null}
      </div>
      <section className="deal stack" aria-labelledby="members-title">
        <h2 id="members-title" aria-live="polite">{g.members} of {g.minGroupSize} members{g.maxGroupSize ? ` (at most ${g.maxGroupSize})` : ''}</h2>
        <div className="progress" role="progressbar" aria-label="Members joined" aria-valuemin={0} aria-valuemax={g.minGroupSize} aria-valuenow={g.members}>
          <span style={{ width: `${progress}%` }} />
        </div>
        <p>
          {g.membersNeeded > 0 ? `${g.membersNeeded} more needed for the group to succeed. ` : 'The group has its minimum. '}
          {g.currentUnitPrice ? <>Price now {money(g.currentUnitPrice)}. </> : null}
          {g.nextTier ? <>{g.nextTier.membersNeeded} more and it drops to {money(g.nextTier.unitPrice)}.</> : null}
        </p>
        <TierLadder tiers={g.tiers} members={g.members} />
      </section>
      {g.status === 'open' ? (
        <section className="panel stack" aria-labelledby="share-title">
          <h2 id="share-title">Share link</h2>
          <div className="row">
            <Field label="Link to this group" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
            <button
              type="button"
              className="btn"
              onClick={() => {
                void navigator.clipboard?.writeText(link).then(() => setCopied(true), () => setCopied(false));
              }}
            >
              {copied ? 'Copied' : 'Copy link'}
            </button>
          </div>
        </section>
      ) : null}
      {g.status === 'open' && !joined && !started ? (
        <section className="panel stack" aria-labelledby="join-title">
          <h2 id="join-title">Join this group</h2>
          {session ? (
            <SeatForm
              submitLabel="Join the group"
              limit={99}
              onSubmit={async (body) => {
                await sendOnce((key) => api(`/v1/groups/${encodeURIComponent(g.shareCode)}/join`, { method: 'POST', headers: { 'idempotency-key': key }, body }));
                setJoined(true);
                reload();
              }}
            />
          ) : (
            <p><Link to={`/account?next=/groups/${g.shareCode}`}>Sign in or create an account</Link> to join.</p>
          )}
        </section>
      ) : null}
      <p><Link to="/">Back to the shop</Link></p>
    </div>
  );
}
