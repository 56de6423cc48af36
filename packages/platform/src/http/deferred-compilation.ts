/**
 * Route schemas compiled when first needed instead of all at start-up. With
 * every service mounted, compiling each route's validators and response
 * serializers took most of a second before the first request could be
 * served. A route's first request compiles its own (a few milliseconds);
 * once the app is listening, the rest are compiled in the background, one
 * per turn of the event loop, so requests are never held up for long.
 */
import serializerSelector from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof serializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;

type Validate = ((data: unknown) => unknown) & { errors?: unknown };

export class DeferredCompilation {
  private readonly pending = new Set<() => void>();

  /** A validator that compiles `compile()` on its first call; Fastify reads `errors` after each call. */
  validator(compile: () => Validate): Validate {
    let compiled: Validate | undefined;
    const ensure = () => {
      compiled ??= compile();
      this.pending.delete(ensure);
      return compiled;
    };
    this.pending.add(ensure);
    const validate: Validate = (data) => {
      const fn = ensure();
      const result = fn(data);
      validate.errors = fn.errors;
      return result;
    };
    validate.errors = null;
    return validate;
  }

  /** Fastify's own response serializers (fast-json-stringify, shared schemas included), each built on first use. */
  serializerFactory(): SerializerFactory {
    const build = serializerSelector();
    return (externalSchemas, options) => {
      const compile = build(externalSchemas, options);
      return (route) => {
        let serialize: Serializer | undefined;
        const ensure = () => {
          serialize ??= compile(route);
          this.pending.delete(ensure);
          return serialize;
        };
        this.pending.add(ensure);
        return (doc) => ensure()(doc);
      };
    };
  }

  /** How many compilations are still waiting. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Compiles what is still waiting, one per event-loop turn; resolves when all are done. */
  async warmUp(): Promise<void> {
    for (const next of this.pending) {
      next();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
