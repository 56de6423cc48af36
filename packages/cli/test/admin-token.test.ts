/** `authenticatedClient`: an admin token obtained and tried on an admin route before `fusion smoke` or `fusion demo` use it. */
import { describe, expect, it } from 'vitest';
import { AdminAuthError, AdminProbeError, AdminTokenRefusedError, authenticatedClient } from '../src/admin-token.ts';

interface Seen {
  path: string;
  authorization: string | null;
}

/** A platform whose admin route answers `status` (and `body`), recording what it was asked. */
function platform(status: number, body: unknown = { data: [], nextCursor: null }): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push({ path: `${url.pathname}${url.search}`, authorization: new Headers(init?.headers).get('authorization') });
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
  }) as typeof fetch;
  return { fetch: fake, seen };
}

describe('authenticatedClient', () => {
  it('when the platform accepts the token, then the client carries it and says how it was obtained', async () => {
    const accepting = platform(200);
    const { client, source } = await authenticatedClient('http://shop.test/', { token: 'jwt-1' }, accepting.fetch);
    expect(source).toBe('the given token');
    expect(client.token).toBe('jwt-1');
    expect(client.baseUrl).toBe('http://shop.test');
    expect(accepting.seen).toEqual([{ path: '/v1/admin/products?limit=1', authorization: 'Bearer jwt-1' }]);
    await client.get('/v1/admin/orders');
    expect(accepting.seen[1]).toEqual({ path: '/v1/admin/orders', authorization: 'Bearer jwt-1' });
  });

  it.each([401, 403])('when the admin route answers %i, then the token is refused, naming where it came from and what usually lies behind it', async (status) => {
    const refusing = platform(status, { code: 'AUTH.FORBIDDEN', detail: 'admin role required' });
    const refused = await authenticatedClient('http://shop.test', { token: 'jwt-1' }, refusing.fetch).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AdminTokenRefusedError);
    expect(refused).toBeInstanceOf(AdminAuthError);
    expect((refused as AdminTokenRefusedError).message).toBe(
      `the platform refused the admin token (the given token): GET /v1/admin/products → ${status} AUTH.FORBIDDEN: admin role required`,
    );
    expect((refused as AdminTokenRefusedError).likelyCauses).toContain('an expired token');
  });

  it('when the admin route answers another error, then the answer is kept for the caller to word', async () => {
    const failing = platform(503, { code: 'PLATFORM.UNAVAILABLE', detail: 'database down' });
    const failed = await authenticatedClient('http://shop.test', { token: 'jwt-1' }, failing.fetch).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(AdminProbeError);
    expect(failed).not.toBeInstanceOf(AdminAuthError);
    expect((failed as AdminProbeError).message).toBe('GET /v1/admin/products?limit=1 → 503 PLATFORM.UNAVAILABLE: database down');
    expect((failed as AdminProbeError).result.status).toBe(503);
  });

  it('when there are no credentials, then nothing is asked of the platform', async () => {
    const untouched = platform(200);
    await expect(authenticatedClient('http://shop.test', {}, untouched.fetch)).rejects.toThrow(/^no admin credentials/);
    expect(untouched.seen).toEqual([]);
  });
});
