/**
 * One multi-page build: the storefront (index.html, served at /) and the admin
 * console (admin/index.html, served at /admin). `vite` in this directory is a
 * dev server that proxies the API to a running gateway (VITE_API, default
 * http://localhost:8000).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.VITE_API ?? 'http://localhost:8000';
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`.padStart(10);

/** Writes .gz and .br next to each text asset (served as is by the gateway) and prints the sizes shoppers download. */
function precompressAndReport(): Plugin {
  return {
    name: 'fusion-precompress-report',
    apply: 'build',
    closeBundle() {
      const dist = join(root, 'dist');
      if (!existsSync(dist)) return; // the build failed; its error is reported already
      const rows: { file: string; raw: number; gzip: number }[] = [];
      for (const path of filesUnder(dist)) {
        if (!COMPRESSIBLE.test(path)) continue;
        const body = readFileSync(path);
        const gz = gzipSync(body, { level: 9 });
        writeFileSync(`${path}.gz`, gz);
        writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        rows.push({ file: relative(dist, path), raw: body.length, gzip: gz.length });
      }
      rows.sort((a, b) => a.file.localeCompare(b.file));
      const lines = rows.map((r) => `${r.file.padEnd(48)}${kb(r.raw)}${kb(r.gzip)} gzip`);
      const js = rows.filter((r) => /\.(js|css)$/.test(r.file));
      const total = js.reduce((sum, r) => sum + r.gzip, 0);
      // What each page downloads: the scripts, preloads and styles its HTML names.
      const pages = rows
        .filter((r) => r.file.endsWith('.html'))
        .map((page) => {
          const html = readFileSync(join(dist, page.file), 'utf8');
          const used = js.filter((r) => html.includes(`/${r.file}`));
          return { page: page.file, gzipBytes: page.gzip + used.reduce((sum, r) => sum + r.gzip, 0) };
        });
      const perPage = pages.map((p) => `${p.page.padEnd(48)}${kb(p.gzipBytes)} gzip (HTML + JS + CSS)`);
      console.log(`\nFusionCommerce web bundle (dist/):\n${lines.join('\n')}\n\nPer page:\n${perPage.join('\n')}\nAll JS + CSS: ${kb(total).trim()} gzip\n`);
      writeFileSync(join(dist, 'bundle-size.json'), JSON.stringify({ gzipBytes: total, pages, files: rows }, null, 2));
    },
  };
}

/** In the dev server, /admin/<anything> is the admin console's page (the gateway does the same in production). */
function adminFallback(): Plugin {
  return {
    name: 'fusion-admin-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        if ((path === '/admin' || path.startsWith('/admin/')) && !/\.[a-z0-9]+$/i.test(path)) req.url = '/admin/index.html';
        next();
      });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), adminFallback(), precompressAndReport()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { store: join(root, 'index.html'), admin: join(root, 'admin/index.html') },
      // React and the shared client in one chunk both pages reuse from the cache.
      output: { manualChunks: (id: string) => (id.includes('node_modules') || id.includes('/src/shared/') ? 'shared' : undefined) },
    },
  },
  server: {
    proxy: Object.fromEntries(['/v1', '/demo-images', '/health', '/ready', '/openapi.json', '/docs'].map((path) => [path, { target: api, changeOrigin: true }])),
  },
});
