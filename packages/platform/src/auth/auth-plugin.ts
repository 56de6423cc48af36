/**
 * Every business route declares who may call it, in one place:
 *   { config: { auth: 'public' | 'customer' | 'admin' } }
 * `customer` means any signed-in account (the handler then scopes data to
 * `request.principal`); `admin` means the admin role. A /v1 route without a
 * declared policy refuses to register, so no route is ever open by accident.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';
import { ANONYMOUS, type Principal, type TokenService } from './tokens.ts';

export type AccessPolicy = 'public' | 'customer' | 'admin';

/** A registered route and who may call it. */
export interface RoutePolicy {
  method: string;
  url: string;
  auth: AccessPolicy;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AccessPolicy;
  }
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    /** The process's token service (signs and verifies access tokens); null when none was configured. */
    accessTokens: TokenService | null;
    /** Every route registered so far with its policy, for audits and the authorization matrix. */
    routePolicies: readonly RoutePolicy[];
  }
}

export interface AuthPluginOptions {
  /** Verifies bearer tokens; without one, only public routes can be called. */
  tokens?: TokenService;
}

export class MissingPolicyError extends Error {
  constructor(method: string, url: string) {
    super(`Route ${method} ${url} declares no auth policy (config.auth: 'public' | 'customer' | 'admin').`);
    this.name = 'MissingPolicyError';
  }
}

/** The token of an `Authorization: Bearer <token>` header; undefined when there is none or it is malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
}

const unauthenticated = (): AppError =>
  new AppError('AUTH.UNAUTHENTICATED', 'unauthorized', 'Sign in first: this endpoint needs a bearer token.');

export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, options) => {
    app.decorateRequest('principal', null as never);
    app.decorate('accessTokens', options.tokens ?? null);
    const policies: RoutePolicy[] = [];
    app.decorate('routePolicies', policies);

    app.addHook('onRoute', (route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
      if (methods.length === 0) return;
      const declared = route.config?.auth;
      if (declared === undefined) {
        if (route.url.startsWith('/v1/')) throw new MissingPolicyError(methods.join(','), route.url);
        route.config = { ...route.config, auth: 'public' };
      } else if (declared !== 'public') {
        // Shown in the OpenAPI document.
        route.schema = { ...route.schema, security: [{ bearerAuth: [] }] } as typeof route.schema;
      }
      const auth = declared ?? 'public';
      for (const method of methods) policies.push({ method, url: route.url, auth });
    });

    app.addHook('onRequest', async (request: FastifyRequest) => {
      const policy = request.routeOptions.config.auth ?? 'public';
      const header = request.headers.authorization;
      let principal: Principal = ANONYMOUS;
      if (header && options.tokens) {
        const token = bearerToken(header);
        try {
          if (!token) throw new AppError('AUTH.MALFORMED_AUTHORIZATION', 'unauthorized', 'Use Authorization: Bearer <token>.');
          principal = await options.tokens.verify(token);
        } catch (error) {
          // A stale token on a public page is ignored; anywhere else it is refused.
          if (policy !== 'public') throw error;
        }
      }
      request.principal = principal;
      if (policy === 'public') return;
      if (principal.type === 'anonymous') throw unauthenticated();
      if (policy === 'admin' && principal.role !== 'admin') {
        throw new AppError('AUTH.FORBIDDEN', 'forbidden', 'This endpoint is for administrators.');
      }
    });
  },
  { name: 'fusion-auth' },
);
