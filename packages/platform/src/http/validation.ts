/**
 * Two Ajv instances: bodies are validated strictly (no type coercion, unknown
 * fields rejected by the schemas' additionalProperties: false), while query
 * strings, params and headers — which arrive as text — are coerced.
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { DeferredCompilation } from './deferred-compilation.ts';

const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };

function build(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  addFormats.default(ajv);
  return ajv;
}

/** Compiles at once, or, given `deferred`, on first use (see deferred-compilation.ts). */
export function createValidatorCompiler(deferred?: DeferredCompilation): FastifySchemaCompiler<unknown> {
  const strict = build(false);
  const coercing = build('array');
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    const compile = () => ajv.compile(schema as object);
    return (deferred ? deferred.validator(compile) : compile()) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
