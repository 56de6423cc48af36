// Browsing: the home page, category pages with filters and sorting, search with instant results.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { query, type Page } from '../shared/api.ts';
import { money, parseMoney } from '../shared/format.ts';
import { Link, navigate, useLocation } from '../shared/router.tsx';
import type { Category, Product } from '../shared/types.ts';
import { Alert, LoadMore, Spinner, useAsync, useDebounced, usePaged } from '../shared/ui.tsx';
import { api } from './shop.ts';
import { useShopCurrency } from '../shared/shop-currency.ts';

const PAGE_SIZE = 24;

let categoriesOnce: Promise<Category[]> | null = null;
export function loadCategories(): Promise<Category[]> {
  categoriesOnce ??= api<{ data: Category[] }>('/v1/categories').then((r) => r.data, (e: unknown) => {
    categoriesOnce = null;
    throw e;
  });
  return categoriesOnce;
}

export function findCategory(tree: Category[], slug: string): { category: Category; parents: Category[] } | null {
  for (const c of tree) {
    if (c.slug === slug) return { category: c, parents: [] };
    const inner = findCategory(c.children, slug);
    if (inner) return { category: inner.category, parents: [c, ...inner.parents] };
  }
  return null;
}

export function priceLabel(p: Product): string {
  if (!p.priceRange) return '';
  const { min, max } = p.priceRange;
  return min.amount === max.amount ? money(min) : `From ${money(min)}`;
}

export function ProductImage({ product, eager = false, className }: { product: Product; eager?: boolean; className?: string }) {
  const image = product.images[0];
  if (!image) return <div className={`img-placeholder ${className ?? ''}`} aria-hidden="true" />;
  return (
    <img
      className={className}
      src={image.url}
      srcSet={`${image.url} 800w`}
      sizes="(max-width: 640px) 50vw, (max-width: 1100px) 33vw, 260px"
      alt={image.alt || product.title}
      width={800}
      height={800}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
    />
  );
}

export function ProductCard({ product, eager }: { product: Product; eager?: boolean }) {
  const compare = product.variants.find((v) => v.compareAtPrice && v.compareAtPrice.amount > v.price.amount);
  return (
    <li className="card">
      <Link to={`/p/${product.slug}`} className="card-link">
        <ProductImage product={product} eager={eager} className="card-img" />
        <span className="card-title">{product.title}</span>
        <span className="card-price">
          {priceLabel(product)}
          {compare ? <span className="badge badge-sale">Sale</span> : null}
        </span>
      </Link>
    </li>
  );
}

export function ProductGrid({ products, label }: { products: Product[]; label: string }) {
  return (
    <ul className="grid" aria-label={label}>
      {products.map((p, i) => (
        <ProductCard key={p.id} product={p} eager={i < 4} />
      ))}
    </ul>
  );
}

export function HomePage() {
  const categories = useAsync(loadCategories, []);
  const featured = useAsync(() => api<Page<Product>>('/v1/products?limit=8&sort=newest'), []);
  return (
    <div className="stack-lg">
      <section className="hero">
        <h1>Good things, fairly priced</h1>
        <p>Everyday clothing, home goods and more — and group deals that get cheaper the more people join.</p>
      </section>
      <section aria-labelledby="home-categories">
        <h2 id="home-categories">Shop by category</h2>
        {categories.error ? <Alert>{categories.error}</Alert> : null}
        {categories.loading ? <Spinner /> : null}
        <ul className="category-tiles">
          {(categories.data ?? []).map((c) => (
            <li key={c.id}>
              <Link to={`/c/${c.slug}`} className="category-tile">
                <strong>{c.name}</strong>
                <span className="muted small">{c.productCount} products</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="home-featured">
        <h2 id="home-featured">New in</h2>
        {featured.error ? <Alert>{featured.error}</Alert> : null}
        {featured.loading ? <Spinner /> : <ProductGrid products={featured.data?.data ?? []} label="Featured products" />}
      </section>
    </div>
  );
}

const SORTS = [
  ['newest', 'Newest'],
  ['price_asc', 'Price: low to high'],
  ['price_desc', 'Price: high to low'],
  ['title', 'Name'],
] as const;

interface Filters {
  sort: string;
  min: string;
  max: string;
}

function FilterBar({ filters, currency, withRelevance, onChange }: { filters: Filters; currency: string; withRelevance?: boolean; onChange: (f: Filters) => void }) {
  const [min, setMin] = useState(filters.min);
  const [max, setMax] = useState(filters.max);
  useEffect(() => {
    setMin(filters.min);
    setMax(filters.max);
  }, [filters.min, filters.max]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    onChange({ ...filters, min, max });
  };
  const sortId = useId();
  return (
    <form className="filters" onSubmit={apply} aria-label="Filters">
      <div className="field">
        <label htmlFor={sortId}>Sort by</label>
        <select id={sortId} value={filters.sort} onChange={(e) => onChange({ ...filters, sort: e.target.value })}>
          {withRelevance ? <option value="relevance">Best match</option> : null}
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </div>
      <div className="field field-sm">
        <label htmlFor={`${sortId}-min`}>Min price ({currency})</label>
        <input id={`${sortId}-min`} inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} placeholder="0" />
      </div>
      <div className="field field-sm">
        <label htmlFor={`${sortId}-max`}>Max price ({currency})</label>
        <input id={`${sortId}-max`} inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} placeholder="Any" />
      </div>
      <button type="submit" className="btn">Apply</button>
    </form>
  );
}

function useFilters(defaultSort: string) {
  const { path, query: q } = useLocation();
  const currency = useShopCurrency();
  const filters: Filters = { sort: q.get('sort') ?? defaultSort, min: q.get('min') ?? '', max: q.get('max') ?? '' };
  const change = (next: Filters) => {
    const params = new URLSearchParams(q);
    for (const [k, v] of Object.entries(next)) {
      if (v && !(k === 'sort' && v === defaultSort)) params.set(k, v);
      else params.delete(k);
    }
    const s = params.toString();
    navigate(`${path}${s ? `?${s}` : ''}`, { replace: true });
  };
  const apiParams = {
    sort: filters.sort,
    minPrice: filters.min ? (parseMoney(filters.min, currency) ?? undefined) : undefined,
    maxPrice: filters.max ? (parseMoney(filters.max, currency) ?? undefined) : undefined,
  };
  return { filters, change, apiParams, currency };
}

export function CategoryPage({ slug }: { slug: string }) {
  const categories = useAsync(loadCategories, []);
  const found = categories.data ? findCategory(categories.data, slug) : null;
  const { filters, change, apiParams, currency } = useFilters('newest');
  const key = JSON.stringify([slug, apiParams]);
  const paged = usePaged((cursor) => api<Page<Product>>(`/v1/products${query({ category: slug, limit: PAGE_SIZE, cursor, ...apiParams })}`), key);
  if (categories.data && !found) return <NotFound what="category" />;
  const category = found?.category;
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link>
        {found?.parents.map((p) => (
          <span key={p.id}> / <Link to={`/c/${p.slug}`}>{p.name}</Link></span>
        ))}
      </nav>
      <h1>{category?.name ?? ' '}</h1>
      {category?.description ? <p className="muted">{category.description}</p> : null}
      {category && category.children.length > 0 ? (
        <ul className="chips" aria-label="Sub-categories">
          {category.children.map((c) => (
            <li key={c.id}>
              <Link to={`/c/${c.slug}`} className="chip">{c.name} <span className="muted">({c.productCount})</span></Link>
            </li>
          ))}
        </ul>
      ) : null}
      <FilterBar filters={filters} currency={currency} onChange={change} />
      {!paged.loading && paged.items.length === 0 && !paged.error ? <p className="muted">No products match these filters.</p> : null}
      <ProductGrid products={paged.items} label={`${category?.name ?? 'Category'} products`} />
      <LoadMore paged={paged} label="Show more products" />
    </div>
  );
}

export function SearchPage() {
  const { query: q } = useLocation();
  const text = q.get('q') ?? '';
  const { filters, change, apiParams, currency } = useFilters('relevance');
  const key = JSON.stringify([text, apiParams]);
  const paged = usePaged((cursor) => api<Page<Product>>(`/v1/products${query({ q: text || undefined, limit: PAGE_SIZE, cursor, ...apiParams })}`), key);
  return (
    <div className="stack">
      <h1>{text ? `Results for “${text}”` : 'All products'}</h1>
      <FilterBar filters={filters} currency={currency} withRelevance onChange={change} />
      {!paged.loading && paged.items.length === 0 && !paged.error ? <p className="muted">Nothing matches “{text}”. Try a shorter word.</p> : null}
      <ProductGrid products={paged.items} label="Search results" />
      <LoadMore paged={paged} label="Show more results" />
    </div>
  );
}

/** The header's search: results appear while typing; Enter shows the full results page. */
export function SearchBox() {
  const { path, query: q } = useLocation();
  const [text, setText] = useState(path === '/search' ? (q.get('q') ?? '') : '');
  const [open, setOpen] = useState(false);
  const debounced = useDebounced(text.trim(), 150);
  const [results, setResults] = useState<Product[]>([]);
  const id = useId();
  useEffect(() => {
    if (debounced.length < 2) {
      setResults([]);
      return;
    }
    let live = true;
    api<Page<Product>>(`/v1/products${query({ q: debounced, limit: 6 })}`).then(
      (page) => live && setResults(page.data),
      () => live && setResults([]),
    );
    return () => {
      live = false;
    };
  }, [debounced]);
  useEffect(() => setOpen(false), [path]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(false);
    navigate(`/search${query({ q: text.trim() })}`);
  };
  const showing = open && debounced.length >= 2;
  return (
    <form role="search" className="search" onSubmit={submit} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setOpen(false)}>
      <label htmlFor={id} className="visually-hidden">Search products</label>
      <input
        id={id}
        type="search"
        placeholder="Search products"
        autoComplete="off"
        value={text}
        aria-controls={`${id}-results`}
        aria-expanded={showing}
        onFocus={() => setOpen(true)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      />
      {showing ? (
        <div id={`${id}-results`} className="search-results" role="region" aria-label="Instant results">
          {results.length === 0 ? (
            <p className="muted small">No quick matches — press Enter to search.</p>
          ) : (
            <ul>
              {results.map((p) => (
                <li key={p.id}>
                  <Link to={`/p/${p.slug}`} className="search-hit">
                    <ProductImage product={p} className="thumb" />
                    <span>{p.title}</span>
                    <span className="muted">{priceLabel(p)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </form>
  );
}

export function NotFound({ what = 'page' }: { what?: string }) {
  return (
    <div className="stack">
      <h1>Not found</h1>
      <p>This {what} does not exist (any more). <Link to="/">Back to the shop</Link></p>
    </div>
  );
}
