/**
 * Configuration from the environment, validated once at start-up. A wrong or
 * missing value raises ConfigError with one line naming the variable; the entry
 * point prints that line and exits non-zero. Nothing else reads process.env.
 */
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import { Value } from 'typebox/value';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LogLevel = Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const NodeEnv = Type.Enum(['development', 'test', 'staging', 'production']);

/** Settings every process understands (ARCHITECTURE §3). */
export const CommonSettings = {
  NODE_ENV: Type.Optional(NodeEnv),
  LOG_LEVEL: Type.Optional(LogLevel),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  FUSION_DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_BROKERS: Type.Optional(Type.String({ pattern: '^[^,\\s]+(,[^,\\s]+)*$' })),
  BODY_LIMIT_BYTES: Type.Optional(Type.Integer({ minimum: 1024, maximum: 50 * 1024 * 1024 })),
  SHUTDOWN_GRACE_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
  DATABASE_POOL_MAX: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (sign-in
   * throttling counts by it): `false` (default), `true`, a number of hops, or
   * a comma-separated list of addresses and CIDR ranges.
   */
  TRUST_PROXY: Type.Optional(Type.String({ pattern: '^(true|false|[0-9]{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$' })),
} satisfies TProperties;

/** TRUST_PROXY as Fastify's `trustProxy` takes it (a hop count as the function proxy-addr makes of one: trust the nearest n). */
export function trustProxyOf(value: string | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^[0-9]{1,2}$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',');
}

export const CommonConfigSchema = Type.Object(CommonSettings);

const INTEGER_PATTERN = /^-?\d+$/;

/** Environment strings become the types the schema asks for (integers, booleans). */
function coerce(schema: TObject, env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    const type = (prop as { type?: unknown }).type;
    if (type === 'integer' || type === 'number') {
      out[key] = INTEGER_PATTERN.test(raw.trim()) || type === 'number' ? Number(raw) : raw;
    } else if (type === 'boolean') {
      out[key] = raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    } else {
      out[key] = raw;
    }
  }
  return out;
}

/**
 * Reads the variables `schema` declares from `env`, checks them and returns the
 * typed result. Unknown variables are ignored: the environment holds much else.
 */
export function loadConfig<T extends TObject>(schema: T, env: Record<string, string | undefined> = process.env): Static<T> {
  const values = coerce(schema, env);
  const first = Value.Errors(schema, values)[0];
  if (!first) return values as Static<T>;
  const params = first.params as { requiredProperties?: string[]; allowedValues?: unknown[] };
  if (first.keyword === 'required') {
    throw new ConfigError(`Invalid configuration: ${params.requiredProperties?.[0] ?? 'a variable'} is required but not set.`);
  }
  const name = first.instancePath.replace(/^\//, '');
  const expected = params.allowedValues ? `must be one of ${params.allowedValues.join(', ')}` : first.message;
  throw new ConfigError(`Invalid configuration: ${name} ${expected} (got "${redact(name, env[name] ?? '')}").`);
}

function redact(name: string, value: string): string {
  if (/SECRET|PASSWORD|KEY|TOKEN/.test(name)) return '***';
  if (name === 'DATABASE_URL') return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
