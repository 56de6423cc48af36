/**
 * Products and variants: a searchable list by status, and an editor that
 * creates, edits, publishes, unpublishes and archives, showing the API's
 * validation errors next to the fields they concern.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, friendlyMessage, messageOf, NEEDS_ATTENTION, query, type Page } from '../shared/api.ts';
import { formatDateTime, parseMoney, toDecimal } from '../shared/format.ts';
import { Link, navigate } from '../shared/router.tsx';
import type { Category, Product, Variant } from '../shared/types.ts';
import { Alert, Field, LoadMore, Select, Spinner, StatusBadge, TextArea, useAsync, useDebounced, usePaged } from '../shared/ui.tsx';
import { api } from './console.ts';

/** Fields found wrong before anything was sent, keyed by the pointer the API would use. */
class LocalValidationError extends Error {
  readonly errors: Record<string, string>;
  constructor(errors: Record<string, string>) {
    super(NEEDS_ATTENTION);
    this.name = 'LocalValidationError';
    this.errors = errors;
  }
}

function fieldErrorsOf(error: unknown): Record<string, string> {
  if (error instanceof LocalValidationError) return error.errors;
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(error.fieldErrors())) out[k] = friendlyMessage(v);
  return out;
}

/** Moves the API's field errors to other pointers (`to` answers with the pointer a field shows, or the same one). */
function repoint(error: unknown, to: (pointer: string) => string): void {
  if (error instanceof ApiError && error.problem.errors) {
    error.problem.errors = error.problem.errors.map((e) => ({ ...e, pointer: to(e.pointer) }));
  }
}

/** The error for a field: its own pointer or anything under it (`/variants/0/price` covers `/variants/0/price/amount`). */
function errorAt(errors: Record<string, string>, pointer: string): string | undefined {
  if (errors[pointer]) return errors[pointer];
  const key = Object.keys(errors).find((k) => k.startsWith(`${pointer}/`));
  return key ? errors[key] : undefined;
}

export function ProductsPage() {
  const [status, setStatus] = useState('any');
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const paged = usePaged((cursor) => api<Page<Product>>(`/v1/admin/products${query({ status, q: q || undefined, sort: q ? 'relevance' : 'newest', limit: 50, cursor })}`), `${status}|${q}`);
  return (
    <div className="stack">
      <div className="row-between">
        <h1>Products</h1>
        <Link to="/admin/products/new" className="btn btn-primary">New product</Link>
      </div>
      <div className="toolbar">
        <Field label="Search" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Title, SKU, tag" />
        <Select label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="any">Any</option>
          <option value="draft">Draft</option>
          <option value="published">Published</option>
          <option value="archived">Archived</option>
        </Select>
      </div>
      <table className="table">
        <caption className="visually-hidden">Products</caption>
        <thead>
          <tr><th scope="col">Product</th><th scope="col">Status</th><th scope="col" className="num">Variants</th><th scope="col" className="num">Price</th><th scope="col">Updated</th></tr>
        </thead>
        <tbody>
          {paged.items.map((p) => (
            <tr key={p.id}>
              <td><Link to={`/admin/products/${p.id}`}>{p.title}</Link><div className="muted small">{p.slug}</div></td>
              <td><StatusBadge status={p.status} /></td>
              <td className="num">{p.variants.length}</td>
              <td className="num">{p.priceRange ? `${toDecimal(p.priceRange.min.amount, p.priceRange.min.currency)}${p.priceRange.max.amount !== p.priceRange.min.amount ? `–${toDecimal(p.priceRange.max.amount, p.priceRange.max.currency)}` : ''} ${p.priceRange.min.currency}` : '—'}</td>
              <td>{formatDateTime(p.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore paged={paged} />
    </div>
  );
}

interface VariantRow {
  id?: string;
  sku: string;
  title: string;
  options: string;
  price: string;
  compareAt: string;
  currency: string;
}

const optionsText = (o: Record<string, string>) => Object.entries(o).map(([k, v]) => `${k}=${v}`).join(', ');

function parseOptions(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, ...rest] = part.split('=');
    const key = k?.trim();
    const value = rest.join('=').trim();
    if (!key || !value) return null;
    out[key] = value;
  }
  return out;
}

const rowOf = (v: Variant): VariantRow => ({
  id: v.id,
  sku: v.sku,
  title: v.title,
  options: optionsText(v.options),
  price: toDecimal(v.price.amount, v.price.currency),
  compareAt: v.compareAtPrice ? toDecimal(v.compareAtPrice.amount, v.compareAtPrice.currency) : '',
  currency: v.price.currency,
});

const emptyRow = (currency = 'USD'): VariantRow => ({ sku: '', title: '', options: '', price: '', compareAt: '', currency });

/** A variant row to its API body; prices that are not numbers go as they are, so the API names the field. */
function variantBody(row: VariantRow, local: Record<string, string>, at: string) {
  const amount = parseMoney(row.price, row.currency || 'USD');
  if (amount === null) local[`${at}/price`] = 'Enter a price such as 19.99.';
  const compare = row.compareAt.trim() ? parseMoney(row.compareAt, row.currency || 'USD') : null;
  if (row.compareAt.trim() && compare === null) local[`${at}/compareAtPrice`] = 'Enter a price such as 24.99, or leave it empty.';
  const options = parseOptions(row.options);
  if (options === null) local[`${at}/options`] = 'Write options as name=value, separated by commas.';
  return {
    sku: row.sku.trim(),
    ...(row.title.trim() ? { title: row.title.trim() } : {}),
    ...(options && Object.keys(options).length ? { options } : {}),
    price: { amount: amount ?? 0, currency: row.currency.trim().toUpperCase() || 'USD' },
    compareAtPrice: compare === null ? null : { amount: compare, currency: row.currency.trim().toUpperCase() || 'USD' },
  };
}

interface Draft {
  title: string;
  slug: string;
  description: string;
  tags: string;
  categoryIds: string[];
  images: { url: string; alt: string }[];
}

function draftOf(p?: Product): Draft {
  return {
    title: p?.title ?? '',
    slug: p?.slug ?? '',
    description: p?.description ?? '',
    tags: p?.tags.join(', ') ?? '',
    categoryIds: p?.categories.map((c) => c.id) ?? [],
    images: p?.images.length ? p.images.map((i) => ({ ...i })) : [{ url: '', alt: '' }],
  };
}

function flatten(tree: Category[], depth = 0): { category: Category; depth: number }[] {
  return tree.flatMap((c) => [{ category: c, depth }, ...flatten(c.children, depth + 1)]);
}

export function ProductEditorPage({ id }: { id: string | null }) {
  const state = useAsync(() => (id ? api<Product>(`/v1/admin/products/${id}`) : Promise.resolve(undefined)), [id]);
  if (id && state.loading) return <Spinner label="Loading product" />;
  if (state.error) return <Alert>{state.error}</Alert>;
  return <ProductEditor key={id ?? 'new'} initial={state.data} />;
}

function ProductEditor({ initial }: { initial: Product | undefined }) {
  const [product, setProduct] = useState<Product | undefined>(initial);
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  const [rows, setRows] = useState<VariantRow[]>(() => (initial ? initial.variants.map(rowOf) : [emptyRow()]));
  const [errors, setErrors] = useState<Record<string, string>>({});
  // A product just created arrives here by its new URL, with `?created=1` to say so.
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(() =>
    new URLSearchParams(window.location.search).get('created') === '1' ? { kind: 'success', text: 'Product created as a draft.' } : null,
  );
  const [busy, setBusy] = useState(false);
  const categories = useAsync(() => api<{ data: Category[] }>('/v1/categories').then((r) => flatten(r.data)), []);

  useEffect(() => {
    if (product) document.title = `${product.title} · Admin`;
  }, [product]);

  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const act = async (work: () => Promise<Product | void>, done: string) => {
    setBusy(true);
    setMessage(null);
    setErrors({});
    try {
      const result = await work();
      if (result) {
        setProduct(result);
        setRows(result.variants.map(rowOf));
      }
      setMessage({ kind: 'success', text: done });
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setMessage({ kind: 'error', text: err instanceof ApiError && err.problem.errors?.length ? NEEDS_ATTENTION : messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const common = () => ({
    title: draft.title.trim(),
    ...(draft.slug.trim() ? { slug: draft.slug.trim() } : {}),
    description: draft.description,
    tags: draft.tags.split(',').map((t) => t.trim()).filter(Boolean),
    categoryIds: draft.categoryIds,
    images: draft.images.filter((i) => i.url.trim()).map((i) => ({ url: i.url.trim(), alt: i.alt.trim() })),
  });

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!product) {
      void act(async () => {
        const local: Record<string, string> = {};
        // Blank rows are left out; each row sent keeps its place on screen for the errors about it.
        const sent = rows.map((row, at) => ({ row, at })).filter(({ row }) => row.sku.trim() || row.price.trim());
        const variants = sent.map(({ row, at }) => variantBody(row, local, `/variants/${at}`));
        if (Object.keys(local).length) throw new LocalValidationError(local);
        try {
          const created = await api<Product>('/v1/products', { method: 'POST', body: { ...common(), variants } });
          navigate(`/admin/products/${created.id}?created=1`, { replace: true });
          return created;
        } catch (err) {
          // The API counts only the rows sent: `/body/variants/0` is the first of them, wherever it is on screen.
          repoint(err, (pointer) => pointer.replace(/^((?:\/body)?\/variants\/)(\d+)(?=\/|$)/, (whole, prefix: string, n: string) => {
            const at = sent[Number(n)]?.at;
            return at === undefined ? whole : `${prefix}${at}`;
          }));
          throw err;
        }
      }, 'Product created as a draft.');
      return;
    }
    void act(() => api<Product>(`/v1/products/${product.id}`, { method: 'PATCH', body: { ...common(), version: product.version } }), 'Product saved.');
  };

  const status = (action: 'publish' | 'unpublish' | 'archive') =>
    product && void act(() => api<Product>(`/v1/products/${product.id}/${action}`, { method: 'POST', body: { version: product.version } }), { publish: 'Published: it is in the storefront now.', unpublish: 'Unpublished: back to draft.', archive: 'Archived.' }[action]);

  const saveVariant = (i: number) => {
    const row = rows[i];
    if (!product || !row) return;
    void act(async () => {
      const local: Record<string, string> = {};
      const body = variantBody(row, local, `/variants/${i}`);
      if (Object.keys(local).length) throw new LocalValidationError(local);
      try {
        return row.id
          ? await api<Product>(`/v1/products/${product.id}/variants/${row.id}`, { method: 'PATCH', body: { ...body, version: product.version } })
          : await api<Product>(`/v1/products/${product.id}/variants`, { method: 'POST', body: { ...body, version: product.version } });
      } catch (err) {
        // The variant routes point at the body's own fields: show them on this row.
        repoint(err, (pointer) => pointer.replace(/^\/body/, `/body/variants/${i}`));
        throw err;
      }
    }, 'Variant saved.');
  };

  const deleteVariant = (i: number) => {
    const row = rows[i];
    if (!row) return;
    if (!row.id || !product) {
      setRows((r) => r.filter((_, j) => j !== i));
      return;
    }
    if (!window.confirm(`Delete variant ${row.sku}?`)) return;
    void act(() => api<Product>(`/v1/products/${product.id}/variants/${row.id}`, { method: 'DELETE' }), 'Variant deleted.');
  };

  const setRow = (i: number, k: keyof VariantRow, value: string) => setRows((r) => r.map((row, j) => (j === i ? { ...row, [k]: value } : row)));

  return (
    <div className="stack">
      <p><Link to="/admin/products">← Products</Link></p>
      <div className="row-between">
        <h1>{product ? product.title : 'New product'}</h1>
        {product ? <StatusBadge status={product.status} /> : null}
      </div>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      <form className="panel stack" onSubmit={save} noValidate aria-label="Product details">
        <div className="row">
          <Field label="Title" value={draft.title} onChange={set('title')} error={errorAt(errors, '/title')} />
          <Field label="Slug" value={draft.slug} onChange={set('slug')} error={errorAt(errors, '/slug')} hint={product ? undefined : 'Made from the title when left empty.'} />
        </div>
        <TextArea label="Description" value={draft.description} onChange={set('description')} error={errorAt(errors, '/description')} />
        <Field label="Tags" value={draft.tags} onChange={set('tags')} error={errorAt(errors, '/tags')} hint="Separated by commas." />
        <fieldset className="stack">
          <legend>Categories</legend>
          {errorAt(errors, '/categoryIds') ? <small className="field-error" role="alert">{errorAt(errors, '/categoryIds')}</small> : null}
          <div className="checks">
            {(categories.data ?? []).map(({ category, depth }) => (
              <label key={category.id} style={{ paddingLeft: `${depth}rem` }}>
                <input
                  type="checkbox"
                  checked={draft.categoryIds.includes(category.id)}
                  onChange={(e) => setDraft((d) => ({ ...d, categoryIds: e.target.checked ? [...d.categoryIds, category.id] : d.categoryIds.filter((x) => x !== category.id) }))}
                />{' '}
                {category.name}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="stack">
          <legend>Images</legend>
          {draft.images.map((img, i) => (
            <div className="row" key={i}>
              <Field label={`Image ${i + 1} URL`} value={img.url} onChange={(e) => setDraft((d) => ({ ...d, images: d.images.map((x, j) => (j === i ? { ...x, url: e.target.value } : x)) }))} error={errorAt(errors, `/images/${i}/url`)} />
              <Field label={`Image ${i + 1} description`} value={img.alt} onChange={(e) => setDraft((d) => ({ ...d, images: d.images.map((x, j) => (j === i ? { ...x, alt: e.target.value } : x)) }))} error={errorAt(errors, `/images/${i}/alt`)} />
            </div>
          ))}
          <button type="button" className="btn btn-sm" onClick={() => setDraft((d) => ({ ...d, images: [...d.images, { url: '', alt: '' }] }))}>Add image</button>
        </fieldset>
        {!product ? <VariantRows rows={rows} errors={errors} setRow={setRow} onDelete={deleteVariant} /> : null}
        {!product ? <button type="button" className="btn btn-sm" onClick={() => setRows((r) => [...r, emptyRow(r[0]?.currency)])}>Add variant</button> : null}
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={busy}>{product ? 'Save changes' : 'Create product'}</button>
          {product && product.status !== 'published' ? <button type="button" className="btn" disabled={busy} onClick={() => status('publish')}>Publish</button> : null}
          {product?.status === 'published' ? <button type="button" className="btn" disabled={busy} onClick={() => status('unpublish')}>Unpublish</button> : null}
          {product && product.status !== 'archived' ? <button type="button" className="btn btn-danger" disabled={busy} onClick={() => status('archive')}>Archive</button> : null}
          {product?.status === 'published' ? <a href={`/p/${product.slug}`} target="_blank" rel="noreferrer">View in the shop ↗</a> : null}
        </div>
      </form>
      {product ? (
        <section className="panel stack" aria-labelledby="variants-title">
          <h2 id="variants-title">Variants</h2>
          <VariantRows rows={rows} errors={errors} setRow={setRow} onDelete={deleteVariant} onSave={saveVariant} />
          <button type="button" className="btn btn-sm" onClick={() => setRows((r) => [...r, emptyRow(r[0]?.currency)])}>Add variant</button>
        </section>
      ) : null}
    </div>
  );
}

function VariantRows({ rows, errors, setRow, onDelete, onSave }: { rows: VariantRow[]; errors: Record<string, string>; setRow: (i: number, k: keyof VariantRow, v: string) => void; onDelete: (i: number) => void; onSave?: (i: number) => void }) {
  return (
    <div className="variant-rows">
      {rows.map((row, i) => {
        const at = `/variants/${i}`;
        const n = i + 1;
        return (
          <fieldset key={row.id ?? `new-${i}`} className="variant-row">
            <legend>Variant {n}{row.id ? '' : ' (new)'}</legend>
            <Field label={`Variant ${n} SKU`} value={row.sku} onChange={(e) => setRow(i, 'sku', e.target.value)} error={errorAt(errors, `${at}/sku`)} />
            <Field label={`Variant ${n} title`} value={row.title} onChange={(e) => setRow(i, 'title', e.target.value)} error={errorAt(errors, `${at}/title`)} />
            <Field label={`Variant ${n} options`} value={row.options} placeholder="size=M, colour=Navy" onChange={(e) => setRow(i, 'options', e.target.value)} error={errorAt(errors, `${at}/options`)} />
            <Field label={`Variant ${n} price`} inputMode="decimal" value={row.price} placeholder="19.99" onChange={(e) => setRow(i, 'price', e.target.value)} error={errorAt(errors, `${at}/price`)} />
            <Field label={`Variant ${n} compare-at price`} inputMode="decimal" value={row.compareAt} onChange={(e) => setRow(i, 'compareAt', e.target.value)} error={errorAt(errors, `${at}/compareAtPrice`)} />
            <Field label={`Variant ${n} currency`} value={row.currency} maxLength={3} onChange={(e) => setRow(i, 'currency', e.target.value)} error={errorAt(errors, `${at}/price/currency`)} className="field-sm" />
            <div className="variant-actions">
              {onSave ? <button type="button" className="btn btn-sm" onClick={() => onSave(i)}>Save variant {n}</button> : null}
              {rows.length > 1 || onSave ? <button type="button" className="btn btn-sm btn-danger" onClick={() => onDelete(i)}>Remove variant {n}</button> : null}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}
