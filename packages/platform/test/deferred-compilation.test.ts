import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { createApp } from '../src/index.ts';
import { DeferredCompilation } from '../src/http/deferred-compilation.ts';

describe('route schemas compiled on first use', () => {
  it('when routes are registered, then nothing compiles until a request needs it, and validation and serialization behave as compiled up front', async () => {
    const compiled: string[] = [];
    const deferred = new DeferredCompilation();
    const validate = deferred.validator(() => {
      compiled.push('validator');
      const fn = (data: unknown) => {
        const ok = typeof data === 'number';
        fn.errors = ok ? null : [{ message: 'must be a number' }];
        return ok;
      };
      fn.errors = null as unknown;
      return fn;
    });
    expect(compiled).toEqual([]);
    expect(deferred.waiting).toBe(1);
    expect(validate('x')).toBe(false);
    expect(validate.errors).toEqual([{ message: 'must be a number' }]);
    expect(validate(1)).toBe(true);
    expect(validate.errors).toBeNull();
    expect(compiled).toEqual(['validator']);
    expect(deferred.waiting).toBe(0);
  });

  it('when the app listens, then what no request needed yet is compiled in the background', async () => {
    const deferred = new DeferredCompilation();
    const serializers = deferred.serializerFactory()(undefined, undefined);
    const a = serializers({ method: 'GET', url: '/a', httpStatus: '200', schema: Type.Object({ n: Type.Integer() }) });
    serializers({ method: 'GET', url: '/b', httpStatus: '200', schema: Type.Object({ s: Type.String() }) });
    expect(deferred.waiting).toBe(2);
    // Only what the schema declares goes out.
    expect(a({ n: 1, secret: 'x' })).toBe('{"n":1}');
    expect(deferred.waiting).toBe(1);
    await deferred.warmUp();
    expect(deferred.waiting).toBe(0);
  });

  it('when a real app serves a route, then bodies are validated strictly and responses filtered by their schema', async () => {
    const app = await createApp({ service: 'probe', logger: false });
    app.post(
      '/v1/echo',
      {
        config: { auth: 'public' },
        schema: {
          body: Type.Object({ n: Type.Integer() }, { additionalProperties: false }),
          response: { 200: Type.Object({ n: Type.Integer() }) },
        },
      },
      async (request) => ({ ...(request.body as { n: number }), internal: 'not for clients' }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const ok = await app.inject({ method: 'POST', url: '/v1/echo', payload: { n: 2 } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ n: 2 });
      const bad = await app.inject({ method: 'POST', url: '/v1/echo', payload: { n: '2', extra: true } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'REQUEST.VALIDATION_FAILED' });
    } finally {
      await app.close();
    }
  });
});
