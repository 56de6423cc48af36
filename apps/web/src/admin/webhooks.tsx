/**
 * Webhooks: the subscriptions that send the shop's events to other systems,
 * a form to subscribe a URL (its signing secret shown once), and one
 * subscription with its details, pause and resume, a test event, secret
 * rotation, deletion and the delivery log with replay.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, friendlyMessage, messageOf, NEEDS_ATTENTION, query, type Page } from '../shared/api.ts';
import { formatDateTime } from '../shared/format.ts';
import { Link, navigate, useLocation } from '../shared/router.tsx';
import { Alert, Field, LoadMore, Select, Spinner, StatusBadge, useAsync, usePaged } from '../shared/ui.tsx';
import { api } from './console.ts';

interface Subscription {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  secretRotatedAt: string | null;
  previousSecretExpiresAt: string | null;
}

type SubscriptionWithSecret = Subscription & { secret: string };

type DeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

interface Delivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  replays: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface DeliveryDetail extends Delivery {
  event: unknown;
  attemptLog: { startedAt: string; durationMs: number; responseStatus: number | null; error: string | null; outcome: 'delivered' | 'retrying' | 'failed' }[];
}

type Message = { kind: 'error' | 'success'; text: string };

const CONFLICT = 'Someone else changed this subscription since you opened it. It has been reloaded with the latest details: check them and try again.';
const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'delivering', 'delivered', 'failed'];
const subscriptionPath = (id: string) => `/v1/webhook-subscriptions/${id}`;
/** The version read, as the ETag the API compares (a stale one is answered 412). */
const ifMatch = (s: Subscription) => ({ 'if-match': `"${s.version}"` });
const isConflict = (error: unknown) => error instanceof ApiError && (error.status === 412 || error.problem.code === 'WEBHOOKS.VERSION_CONFLICT');

/** "orders.order.confirmed, inventory.*" or one per line → the list the API takes. */
const parseEventTypes = (text: string): string[] => text.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);

function eventTypeMessage(type: string | undefined, message: string): string {
  if (type === undefined) {
    if (/fewer than/.test(message)) return 'Name at least one event type.';
    if (/more than/.test(message)) return 'At most 50 event types.';
    return friendlyMessage(message);
  }
  if (/must match pattern/.test(message)) return `“${type}” is not an event type (orders.order.confirmed), a prefix (orders.*) or *.`;
  if (/^repeats /.test(message)) return `${type} is listed twice.`;
  if (message.includes(type)) return `${message.trim()}${message.trim().endsWith('.') ? '' : '.'}`;
  return `${type}: ${message}.`;
}

function urlMessage(message: string, code: string | undefined): string {
  if (code === 'WEBHOOKS.URL_NOT_ALLOWED') return `Refused: ${message}.`;
  if (code === 'WEBHOOKS.INVALID_URL') return `Not usable: ${message}.`;
  if (/is required/.test(message)) return 'Required.';
  if (/more than/.test(message)) return 'At most 2000 characters.';
  if (/fewer than|must match pattern/.test(message)) return 'Enter a full address that starts with https:// (or http://).';
  return friendlyMessage(message);
}

function descriptionMessage(message: string): string {
  if (/more than/.test(message)) return 'At most 500 characters.';
  if (/must match pattern|fewer than/.test(message)) return 'Use plain text on one line.';
  return friendlyMessage(message);
}

/**
 * The API's field errors keyed by the field that shows them: `/url`,
 * `/eventTypes` (every message about the list or one of its entries, naming
 * the entry), `/description`, and `/` for the rest.
 */
function fieldErrorsOf(error: unknown, types: string[]): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  const typeMessages: string[] = [];
  for (const e of error.problem.errors ?? []) {
    const pointer = e.pointer.replace(/^\/body/, '');
    const entry = /^\/eventTypes(?:\/(\d+))?/.exec(pointer);
    if (entry) {
      typeMessages.push(eventTypeMessage(entry[1] === undefined ? undefined : (types[Number(entry[1])] ?? ''), e.message));
    } else if (pointer.startsWith('/url')) {
      out['/url'] ??= urlMessage(e.message, error.problem.code);
    } else if (pointer.startsWith('/description')) {
      out['/description'] ??= descriptionMessage(e.message);
    } else {
      out['/'] ??= friendlyMessage(e.message);
    }
  }
  if (typeMessages.length) out['/eventTypes'] = [...new Set(typeMessages)].join(' ');
  return out;
}

const EVENT_TYPES_HINT = (
  <>
    Separated by commas or spaces: an event type such as <code>orders.order.confirmed</code>, a prefix such as <code>inventory.*</code>, or <code>*</code> for every event.
    Events that carry one-time links or payment details are sent only when named exactly.
  </>
);

interface Draft {
  url: string;
  eventTypes: string;
  description: string;
}

const draftOf = (s?: Subscription): Draft => ({ url: s?.url ?? '', eventTypes: s?.eventTypes.join(', ') ?? '', description: s?.description ?? '' });

/** The fields of a subscription, for creating one or editing it; `save` throws the API's error for the fields to show. */
function SubscriptionForm({ initial, label, submitLabel, save, onCancel }: { initial?: Subscription; label: string; submitLabel: string; save: (draft: Draft) => Promise<void>; onCancel?: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      await save(draft);
      if (!initial) setDraft(draftOf());
    } catch (err) {
      const fields = fieldErrorsOf(err, parseEventTypes(draft.eventTypes));
      setErrors(fields);
      setError(Object.keys(fields).some((k) => k !== '/') ? NEEDS_ATTENTION : (fields['/'] ?? messageOf(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={label}>
      {error ? <Alert>{error}</Alert> : null}
      <Field label="Endpoint URL" type="url" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://hooks.example.com/fusion" value={draft.url} onChange={set('url')} error={errors['/url']} hint="Where the shop POSTs each event. A token in the path or query is fine." />
      <Field label="Event types" autoComplete="off" spellCheck={false} placeholder="orders.order.confirmed, inventory.*" value={draft.eventTypes} onChange={set('eventTypes')} error={errors['/eventTypes']} hint={EVENT_TYPES_HINT} />
      <Field label="Description" value={draft.description} onChange={set('description')} error={errors['/description']} hint="Optional: who receives these events and why." maxLength={500} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>{submitLabel}</button>
        {onCancel ? <button type="button" className="btn" disabled={busy} onClick={onCancel}>Cancel</button> : null}
      </div>
    </form>
  );
}

/** A signing secret, shown once: after creating a subscription or rotating its secret. */
function SecretPanel({ secret, title, note, onDone, children }: { secret: string; title: string; note?: string; onDone: () => void; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<string>('');
  useEffect(() => heading.current?.focus(), [secret]);
  const copy = () => {
    navigator.clipboard.writeText(secret).then(
      () => setCopied('Copied to the clipboard.'),
      () => setCopied('Copying is not allowed here: select the secret and copy it yourself.'),
    );
  };
  return (
    <section className="panel stack secret-panel" aria-labelledby="secret-title">
      <h2 id="secret-title" ref={heading} tabIndex={-1}>{title}</h2>
      <Alert kind="info" title="Copy it now: it will not be shown again.">
        Your receiver checks each delivery’s <code>webhook-signature</code> with this secret.{note ? ` ${note}` : ''} If it is lost, rotate the secret to get a new one.
      </Alert>
      <div className="row">
        <Field label="Signing secret" className="secret-field" readOnly value={secret} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn" onClick={copy}>Copy</button>
      </div>
      <p className="small muted" role="status">{copied}</p>
      <div className="row">
        {children}
        <button type="button" className="btn" onClick={onDone}>I have saved it — hide it</button>
      </div>
    </section>
  );
}

function EventTypeList({ types }: { types: string[] }) {
  return (
    <ul className="event-types" aria-label="Event types">
      {types.map((t) => <li key={t}><code>{t}</code></li>)}
    </ul>
  );
}

const activeBadge = (active: boolean) => <StatusBadge status={active ? 'active' : 'paused'} />;

export function WebhooksPage() {
  const { query: q } = useLocation();
  const [show, setShow] = useState('');
  const paged = usePaged((cursor) => api<Page<Subscription>>(`/v1/webhook-subscriptions${query({ active: show || undefined, limit: 20, cursor })}`), show);
  const [created, setCreated] = useState<SubscriptionWithSecret | null>(null);
  // A subscription just deleted comes back here with `?deleted=1` to say so.
  const [message, setMessage] = useState<Message | null>(() => (q.get('deleted') === '1' ? { kind: 'success', text: 'Subscription deleted, with its delivery log.' } : null));
  useEffect(() => {
    // Said once: a reload of the page does not say it again.
    if (q.has('deleted')) navigate('/admin/webhooks', { replace: true });
  }, []);

  const create = async (draft: Draft) => {
    const description = draft.description.trim();
    const subscription = await api<SubscriptionWithSecret>('/v1/webhook-subscriptions', {
      method: 'POST',
      body: { url: draft.url.trim(), eventTypes: parseEventTypes(draft.eventTypes), ...(description ? { description } : {}) },
    });
    setMessage(null);
    setCreated(subscription);
    paged.reload();
  };

  return (
    <div className="stack">
      <h1>Webhooks</h1>
      <p className="muted">The shop POSTs its events — orders confirmed, stock running low, shipments sent — to the URLs subscribed here, signed with each subscription’s secret and retried until they are accepted.</p>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      {created ? (
        <SecretPanel secret={created.secret} title="Subscription created: its signing secret" onDone={() => setCreated(null)}>
          <Link to={`/admin/webhooks/${created.id}`} className="btn btn-primary">Open the subscription</Link>
        </SecretPanel>
      ) : null}
      <div className="split">
        <section className="stack" aria-labelledby="subscriptions-title">
          <div className="row-between">
            <h2 id="subscriptions-title">Subscriptions</h2>
            <Select label="Show" value={show} onChange={(e) => setShow(e.target.value)}>
              <option value="">All</option>
              <option value="true">Active</option>
              <option value="false">Paused</option>
            </Select>
          </div>
          <table className="table">
            <caption className="visually-hidden">Webhook subscriptions</caption>
            <thead>
              <tr><th scope="col">Endpoint</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Created</th></tr>
            </thead>
            <tbody>
              {paged.items.map((s) => (
                <tr key={s.id}>
                  <td className="endpoint"><Link to={`/admin/webhooks/${s.id}`}>{s.url}</Link>{s.description ? <div className="muted small">{s.description}</div> : null}</td>
                  <td><EventTypeList types={s.eventTypes} /></td>
                  <td>{activeBadge(s.active)}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!paged.loading && !paged.error && paged.items.length === 0 ? (
            <p className="muted">{show ? 'No subscriptions match.' : 'No webhook subscriptions yet. Subscribe a URL to start receiving the shop’s events.'}</p>
          ) : null}
          <LoadMore paged={paged} />
        </section>
        <section className="panel stack" aria-labelledby="new-subscription-title">
          <h2 id="new-subscription-title">New subscription</h2>
          <SubscriptionForm label="New subscription" submitLabel="Create subscription" save={create} />
        </section>
      </div>
    </div>
  );
}

export function WebhookDetailPage({ id }: { id: string }) {
  const state = useAsync(() => api<Subscription>(subscriptionPath(id)), [id]);
  if (state.loading && !state.data) return <Spinner label="Loading subscription" />;
  if (state.error || !state.data) {
    return (
      <div className="stack">
        <p><Link to="/admin/webhooks">← Webhooks</Link></p>
        <Alert>{state.error ?? 'Subscription not found.'}</Alert>
      </div>
    );
  }
  return <WebhookDetail loaded={state.data} reload={state.reload} />;
}

const KEEP_PREVIOUS = [
  ['86400', 'a day'],
  ['3600', 'an hour'],
  ['604800', 'a week'],
  ['0', 'no time: it stops at once'],
] as const;

function WebhookDetail({ loaded, reload }: { loaded: Subscription; reload: () => void }) {
  const [sub, setSub] = useState(loaded);
  useEffect(() => setSub(loaded), [loaded]);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [rotated, setRotated] = useState<SubscriptionWithSecret | null>(null);
  const [keep, setKeep] = useState<string>(KEEP_PREVIOUS[0][0]);
  const [status, setStatus] = useState('');
  const deliveries = usePaged((cursor) => api<Page<Delivery>>(`${subscriptionPath(sub.id)}/deliveries${query({ status: status || undefined, limit: 20, cursor })}`), `${sub.id}|${status}`);

  // While deliveries are on their way, the log follows them: often while one is due soon, now and then while they wait for a retry.
  const { items, setItems } = deliveries;
  useEffect(() => {
    const waiting = items.filter((d) => d.status === 'pending' || d.status === 'delivering');
    if (waiting.length === 0) return;
    const soon = waiting.some((d) => d.status === 'delivering' || !d.nextAttemptAt || Date.parse(d.nextAttemptAt) - Date.now() < 5_000);
    const timer = setTimeout(() => {
      api<Page<Delivery>>(`${subscriptionPath(sub.id)}/deliveries${query({ status: status || undefined, limit: 20 })}`).then(
        (page) => setItems((prev) => merge(prev, page.data, status)),
        () => setItems((prev) => [...prev]), // try again at the next turn
      );
    }, soon ? 1_000 : 15_000);
    return () => clearTimeout(timer);
  }, [items, setItems, sub.id, status]);

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ kind: 'success', text: await work() });
    } catch (err) {
      if (isConflict(err)) reload();
      setMessage({ kind: 'error', text: isConflict(err) ? CONFLICT : messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const setActive = (active: boolean) =>
    void act(async () => {
      setSub(await api<Subscription>(subscriptionPath(sub.id), { method: 'PATCH', headers: ifMatch(sub), body: { active } }));
      return active
        ? 'Resumed: events are sent to this URL again, deliveries that were waiting first.'
        : 'Paused: nothing is sent to this URL until you resume it, and events that happen meanwhile are not sent to it later.';
    });

  const sendTest = () =>
    void act(async () => {
      const delivery = await api<Delivery>(`${subscriptionPath(sub.id)}/test`, { method: 'POST', body: {} });
      if (!status || status === delivery.status) deliveries.setItems((prev) => [delivery, ...prev.filter((d) => d.id !== delivery.id)]);
      return 'Test event sent: follow it in the delivery log below.';
    });

  const rotate = () =>
    void act(async () => {
      const next = await api<SubscriptionWithSecret>(`${subscriptionPath(sub.id)}/rotate-secret`, { method: 'POST', body: { keepPreviousSecretSeconds: Number(keep) } });
      const { secret: _secret, ...rest } = next;
      setSub(rest);
      setRotated(next);
      return 'Secret rotated.';
    });

  const remove = () => {
    if (!window.confirm(`Delete the subscription for ${sub.url}? Its delivery log is deleted too. To stop deliveries for a while, pause it instead.`)) return;
    void act(async () => {
      await api(subscriptionPath(sub.id), { method: 'DELETE', headers: ifMatch(sub) });
      navigate('/admin/webhooks?deleted=1');
      return 'Subscription deleted.';
    });
  };

  const save = async (draft: Draft) => {
    setMessage(null);
    const description = draft.description.trim() || null;
    const eventTypes = parseEventTypes(draft.eventTypes);
    const url = draft.url.trim();
    const patch = {
      ...(url !== sub.url ? { url } : {}),
      ...(eventTypes.join(' ') !== sub.eventTypes.join(' ') ? { eventTypes } : {}),
      ...(description !== sub.description ? { description } : {}),
    };
    if (Object.keys(patch).length > 0) {
      try {
        setSub(await api<Subscription>(subscriptionPath(sub.id), { method: 'PATCH', headers: ifMatch(sub), body: patch }));
      } catch (err) {
        if (!isConflict(err)) throw err;
        reload();
        setMessage({ kind: 'error', text: CONFLICT });
        return;
      }
    }
    setEditing(false);
    setMessage({ kind: 'success', text: Object.keys(patch).length > 0 ? 'Subscription saved.' : 'Nothing changed.' });
  };

  const previousUntil = sub.previousSecretExpiresAt && Date.parse(sub.previousSecretExpiresAt) > Date.now() ? sub.previousSecretExpiresAt : null;

  return (
    <div className="stack">
      <p><Link to="/admin/webhooks">← Webhooks</Link></p>
      <div className="row-between">
        <h1 className="endpoint">{sub.url}</h1>
        {activeBadge(sub.active)}
      </div>
      {sub.description ? <p className="muted">{sub.description}</p> : null}
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      {rotated ? (
        <SecretPanel
          secret={rotated.secret}
          title="New signing secret"
          note={rotated.previousSecretExpiresAt ? `The old secret keeps signing next to it until ${formatDateTime(rotated.previousSecretExpiresAt)}, so switch your receiver before then.` : 'The old secret no longer signs.'}
          onDone={() => setRotated(null)}
        />
      ) : null}
      <div className="two-col">
        <section className="panel stack" aria-labelledby="details-title">
          <div className="row-between">
            <h2 id="details-title">Details</h2>
            {!editing ? <button type="button" className="btn btn-sm" onClick={() => setEditing(true)}>Edit</button> : null}
          </div>
          {editing ? (
            <SubscriptionForm key={sub.id} initial={sub} label="Edit subscription" submitLabel="Save changes" save={save} onCancel={() => setEditing(false)} />
          ) : (
            <dl className="details">
              <dt>Endpoint URL</dt>
              <dd className="endpoint">{sub.url}</dd>
              <dt>Event types</dt>
              <dd><EventTypeList types={sub.eventTypes} /></dd>
              <dt>Description</dt>
              <dd>{sub.description ?? <span className="muted">None</span>}</dd>
              <dt>Status</dt>
              <dd>{sub.active ? 'Active: events are sent as they happen' : 'Paused: nothing is sent'}</dd>
              <dt>Created</dt>
              <dd>{formatDateTime(sub.createdAt)}</dd>
              <dt>Last changed</dt>
              <dd>{formatDateTime(sub.updatedAt)}</dd>
              <dt>Secret</dt>
              <dd>
                {sub.secretRotatedAt ? `Rotated ${formatDateTime(sub.secretRotatedAt)}` : 'The one shown when it was created'}
                {previousUntil ? <div className="muted small">The previous secret signs too until {formatDateTime(previousUntil)}.</div> : null}
              </dd>
            </dl>
          )}
        </section>
        <section className="panel stack" aria-labelledby="actions-title">
          <h2 id="actions-title">Actions</h2>
          <div className="action">
            <div>
              <h3>{sub.active ? 'Pause' : 'Resume'}</h3>
              <p className="muted small">{sub.active ? 'Stop sending events to this URL for a while, keeping the subscription.' : 'Send events to this URL again.'}</p>
            </div>
            <button type="button" className="btn" disabled={busy} onClick={() => setActive(!sub.active)}>{sub.active ? 'Pause deliveries' : 'Resume deliveries'}</button>
          </div>
          <div className="action">
            <div>
              <h3>Test</h3>
              <p className="muted small" id="test-hint">{sub.active ? <>Send a signed <code>webhooks.test.sent</code> event to this URL only.</> : 'Resume the subscription to send a test event.'}</p>
            </div>
            <button type="button" className="btn" disabled={busy || !sub.active} aria-describedby="test-hint" onClick={sendTest}>Send test event</button>
          </div>
          <div className="action">
            <div className="stack">
              <h3>Signing secret</h3>
              <Select label="The old secret keeps signing for" value={keep} onChange={(e) => setKeep(e.target.value)}>
                {KEEP_PREVIOUS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
              </Select>
            </div>
            <button type="button" className="btn" disabled={busy} onClick={rotate}>Rotate secret</button>
          </div>
          <div className="action">
            <div>
              <h3>Delete</h3>
              <p className="muted small">Removes the subscription and its delivery log.</p>
            </div>
            <button type="button" className="btn btn-danger" disabled={busy} onClick={remove}>Delete subscription</button>
          </div>
        </section>
      </div>
      <DeliveryLog deliveries={deliveries} status={status} setStatus={setStatus} active={sub.active} />
    </div>
  );
}

/** The first page fetched again, laid over the deliveries shown: updated in place, new ones on top, ones that left the filter gone. */
function merge(shown: Delivery[], fresh: Delivery[], status: string): Delivery[] {
  const byId = new Map(fresh.map((d) => [d.id, d]));
  const known = new Set(shown.map((d) => d.id));
  const updated = shown.map((d) => byId.get(d.id) ?? d).filter((d) => !status || d.status === status);
  return [...fresh.filter((d) => !known.has(d.id)), ...updated];
}

function lastResponse(d: Delivery): string {
  const took = d.lastDurationMs !== null ? ` in ${d.lastDurationMs} ms` : '';
  if (d.lastResponseStatus !== null) return `HTTP ${d.lastResponseStatus}${took}`;
  if (d.lastError) return `No answer${took}`;
  return '—';
}

type Deliveries = ReturnType<typeof usePaged<Delivery>>;

function DeliveryLog({ deliveries, status, setStatus, active }: { deliveries: Deliveries; status: string; setStatus: (s: string) => void; active: boolean }) {
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [replaying, setReplaying] = useState<string | null>(null);

  const replay = async (d: Delivery) => {
    setReplaying(d.id);
    setMessage(null);
    try {
      const next = await api<Delivery>(`/v1/webhook-deliveries/${d.id}/replay`, { method: 'POST', body: {} });
      deliveries.setItems((prev) => prev.map((x) => (x.id === next.id ? next : x)));
      setMessage({ kind: 'success', text: `Replaying the ${d.eventType} delivery: a fresh round of attempts has started.` });
    } catch (err) {
      setMessage({ kind: 'error', text: messageOf(err) });
    } finally {
      setReplaying(null);
    }
  };

  return (
    <section className="stack" aria-labelledby="deliveries-title">
      <div className="row-between">
        <h2 id="deliveries-title">Deliveries</h2>
        <div className="toolbar">
          <Select label="Delivery status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            {DELIVERY_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </Select>
          <button type="button" className="btn" onClick={deliveries.reload}>Refresh</button>
        </div>
      </div>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      <table className="table deliveries">
        <caption className="visually-hidden">Deliveries</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Attempts</th>
            <th scope="col">Last response</th>
            <th scope="col">Last attempt</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {deliveries.items.map((d) => (
            <DeliveryRow key={d.id} d={d} open={open === d.id} toggle={() => setOpen((o) => (o === d.id ? null : d.id))} replay={active && d.status === 'failed' ? () => void replay(d) : undefined} replaying={replaying === d.id} />
          ))}
        </tbody>
      </table>
      {!deliveries.loading && !deliveries.error && deliveries.items.length === 0 ? (
        <p className="muted">{status ? 'No deliveries match.' : 'No deliveries yet. They appear here as events are sent; a test event is the quickest way to see one.'}</p>
      ) : null}
      {!active && deliveries.items.some((d) => d.status === 'failed') ? <p className="muted small">Resume the subscription to replay failed deliveries.</p> : null}
      <LoadMore paged={deliveries} />
    </section>
  );
}

function DeliveryRow({ d, open, toggle, replay, replaying }: { d: Delivery; open: boolean; toggle: () => void; replay: (() => void) | undefined; replaying: boolean }) {
  const detailId = `delivery-${d.id}`;
  const next = d.status === 'pending' && d.nextAttemptAt && d.attempts > 0 ? `next try ${formatDateTime(d.nextAttemptAt)}` : null;
  return (
    <>
      <tr>
        <td><code>{d.eventType}</code><div className="muted small">{formatDateTime(d.createdAt)}</div></td>
        <td><StatusBadge status={d.status} />{d.replays > 0 ? <div className="muted small">replayed {d.replays}×</div> : null}</td>
        <td className="num">{d.attempts}</td>
        <td>{lastResponse(d)}{d.lastError && !(d.lastResponseStatus !== null && d.lastError.includes(String(d.lastResponseStatus))) ? <div className="muted small delivery-error">{d.lastError}</div> : null}</td>
        <td>{d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : '—'}{next ? <div className="muted small">{next}</div> : null}</td>
        <td className="row-actions">
          <button type="button" className="btn btn-sm" aria-expanded={open} aria-controls={open ? detailId : undefined} onClick={toggle}>
            Details<span className="visually-hidden"> of the {d.eventType} delivery</span>
          </button>
          {replay ? (
            <button type="button" className="btn btn-sm" disabled={replaying} onClick={replay}>
              Replay<span className="visually-hidden"> the {d.eventType} delivery</span>
            </button>
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr id={detailId} className="delivery-detail">
          <td colSpan={6}><DeliveryAttempts id={d.id} version={d.updatedAt} /></td>
        </tr>
      ) : null}
    </>
  );
}

function DeliveryAttempts({ id, version }: { id: string; version: string }) {
  const state = useAsync(() => api<DeliveryDetail>(`/v1/webhook-deliveries/${id}`), [id, version]);
  if (state.loading && !state.data) return <Spinner label="Loading attempts" />;
  if (state.error || !state.data) return <Alert>{state.error ?? 'Delivery not found.'}</Alert>;
  const d = state.data;
  return (
    <div className="two-col">
      <div className="stack">
        <h3>Attempts</h3>
        {d.attemptLog.length === 0 ? <p className="muted small">Not tried yet.</p> : (
          <ol className="timeline">
            {d.attemptLog.map((a, i) => (
              <li key={`${a.startedAt}-${i}`}>
                <strong>{a.responseStatus !== null ? `HTTP ${a.responseStatus}` : 'No answer'}</strong> <StatusBadge status={a.outcome} />
                <div className="muted small">{formatDateTime(a.startedAt)} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ''}</div>
              </li>
            ))}
          </ol>
        )}
      </div>
      <div className="stack">
        <h3>Event sent</h3>
        <pre className="payload" tabIndex={0} aria-label={`The ${d.eventType} event as sent`}>{JSON.stringify(d.event, null, 2)}</pre>
      </div>
    </div>
  );
}
