// The product page: images, variant picker, price, stock state, add to cart.
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../shared/api.ts';
import { money } from '../shared/format.ts';
import { Link } from '../shared/router.tsx';
import type { Availability, Product, Variant } from '../shared/types.ts';
import { Alert, Spinner, useAsync } from '../shared/ui.tsx';
import { useCart } from './cart.tsx';
import { NotFound } from './catalog.tsx';
import { GroupDealPanel } from './groups.tsx';
import { api } from './shop.ts';

function pickVariant(product: Product, chosen: Record<string, string>): Variant | undefined {
  return product.variants.find((v) => product.options.every((o) => v.options[o.name] === chosen[o.name]));
}

const STOCK_TEXT: Record<Availability['status'], string> = { in_stock: 'In stock', low_stock: 'Low stock', out_of_stock: 'Out of stock' };

export function ProductPage({ slug }: { slug: string }) {
  const state = useAsync(async () => {
    try {
      return await api<Product>(`/v1/products/${encodeURIComponent(slug)}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }, [slug]);
  if (state.loading && !state.data) return <Spinner label="Loading product" />;
  if (state.error) return <Alert>{state.error}</Alert>;
  if (!state.data) return <NotFound what="product" />;
  return <ProductView key={state.data.id} product={state.data} />;
}

function ProductView({ product }: { product: Product }) {
  const first = product.variants[0];
  const [chosen, setChosen] = useState<Record<string, string>>(() => ({ ...(first?.options ?? {}) }));
  const [image, setImage] = useState(0);
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [stock, setStock] = useState<Record<string, Availability>>({});
  const cart = useCart();
  const variant = pickVariant(product, chosen);
  const qtyId = useId();

  useEffect(() => {
    const skus = product.variants.map((v) => v.sku);
    if (skus.length === 0) return;
    api<{ data: Availability[] }>(`/v1/inventory/availability?skus=${encodeURIComponent(skus.join(','))}`).then(
      (r) => setStock(Object.fromEntries(r.data.map((a) => [a.sku, a]))),
      () => setStock({}),
    );
  }, [product]);

  // Which values of each option exist together with the other choices.
  const possible = useMemo(() => {
    const out: Record<string, Set<string>> = {};
    for (const o of product.options) {
      out[o.name] = new Set(product.variants.filter((v) => product.options.every((x) => x.name === o.name || v.options[x.name] === chosen[x.name])).map((v) => v.options[o.name] ?? ''));
    }
    return out;
  }, [product, chosen]);

  const availability = variant ? stock[variant.sku] : undefined;
  const soldOut = availability?.status === 'out_of_stock';

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!variant) return;
    setMessage(null);
    try {
      await cart.add(variant.id, quantity);
      setMessage({ kind: 'success', text: `Added ${quantity} × ${product.title} (${variant.title}) to your cart.` });
      cart.setOpen(true);
    } catch (err) {
      setMessage({ kind: 'error', text: messageOf(err) });
    }
  };

  const img = product.images[image] ?? product.images[0];
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link>
        {product.categories[0] ? <> / <Link to={`/c/${product.categories[0].slug}`}>{product.categories[0].name}</Link></> : null}
      </nav>
      <div className="product">
        <div className="gallery">
          {img ? <img src={img.url} alt={img.alt || product.title} width={800} height={800} className="gallery-main" sizes="(max-width: 800px) 100vw, 50vw" srcSet={`${img.url} 800w`} /> : <div className="img-placeholder gallery-main" />}
          {product.images.length > 1 ? (
            <div className="thumbs" role="group" aria-label="Images">
              {product.images.map((im, i) => (
                <button key={im.url} type="button" aria-pressed={i === image} aria-label={`Image ${i + 1}`} onClick={() => setImage(i)}>
                  <img src={im.url} alt="" loading="lazy" width={80} height={80} />
                </button>
              ))}
            </div>
          ) : null}
        </div>
        <div className="buy stack">
          <h1>{product.title}</h1>
          <p className="price" aria-live="polite">
            {variant ? money(variant.price) : 'Unavailable'}
            {variant?.compareAtPrice && variant.compareAtPrice.amount > variant.price.amount ? <s className="muted"> {money(variant.compareAtPrice)}</s> : null}
          </p>
          <GroupDealPanel product={product} variant={variant} />
          <form className="stack" onSubmit={add} aria-label="Choose and add to cart">
          {product.options.map((o) => (
            <fieldset key={o.name} className="options">
              <legend>{o.name.charAt(0).toUpperCase() + o.name.slice(1)}</legend>
              {o.values.map((value) => (
                <label key={value} className={`pill ${possible[o.name]?.has(value) ? '' : 'pill-unavailable'}`}>
                  <input type="radio" name={o.name} value={value} checked={chosen[o.name] === value} onChange={() => setChosen((c) => ({ ...c, [o.name]: value }))} />
                  {value}
                </label>
              ))}
            </fieldset>
          ))}
          <p className={`stock stock-${availability?.status ?? 'unknown'}`} role="status">
            {!variant ? 'This combination is not available.' : availability ? `${STOCK_TEXT[availability.status]}${availability.status === 'low_stock' ? ` — only ${availability.quantity} left` : ''}` : ' '}
          </p>
          <div className="row">
            <div className="field field-sm">
              <label htmlFor={qtyId}>Quantity</label>
              <input id={qtyId} type="number" min={1} max={99} value={quantity} onChange={(e) => setQuantity(Math.max(1, Math.min(99, Number(e.target.value) || 1)))} />
            </div>
            <button type="submit" className="btn btn-primary" disabled={!variant || soldOut || cart.busy}>
              {soldOut ? 'Sold out' : 'Add to cart'}
            </button>
          </div>
          {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
          </form>
          <p>{product.description}</p>
          {variant ? <p className="muted small">SKU {variant.sku}</p> : null}
        </div>
      </div>
    </div>
  );
}
