/**
 * Placeholder product images for the demo catalog, drawn as SVG on request so
 * the demo shop works offline and ships no binary assets.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

const PALETTE = ['#0f766e', '#1d4ed8', '#b45309', '#7c3aed', '#be123c', '#15803d', '#0369a1', '#a16207', '#4338ca', '#9f1239'];

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function demoImageSvg(slug: string): string {
  const h = hash(slug);
  const colour = PALETTE[h % PALETTE.length] as string;
  const words = slug.split('-').filter(Boolean);
  const title = words.map((w) => (w[0]?.toUpperCase() ?? '') + w.slice(1)).join(' ');
  const initials = words.slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800" role="img" aria-label="${escapeXml(title)}">
<rect width="800" height="800" fill="${colour}"/>
<circle cx="${200 + (h % 400)}" cy="${150 + ((h >> 8) % 300)}" r="${180 + ((h >> 16) % 120)}" fill="#ffffff" fill-opacity="0.12"/>
<text x="400" y="440" font-family="system-ui, sans-serif" font-size="220" font-weight="700" fill="#ffffff" text-anchor="middle">${escapeXml(initials)}</text>
<text x="400" y="700" font-family="system-ui, sans-serif" font-size="40" fill="#ffffff" fill-opacity="0.9" text-anchor="middle">${escapeXml(title.slice(0, 36))}</text>
</svg>`;
}

export async function demoImageRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/demo-images/:name',
    { config: { auth: 'public' }, schema: { hide: true, params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9-]{1,100}\\.svg$' }) }) } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return reply
        .type('image/svg+xml')
        .header('cache-control', 'public, max-age=86400, immutable')
        .send(demoImageSvg(name.replace(/\.svg$/, '')));
    },
  );
}
