/**
 * Access tokens: short-lived JWTs (HS256, jose) that every service verifies
 * locally against a keyring — no call to the customers service. The first key
 * signs; the others still verify until removed, which is how keys rotate and
 * how a compromised key is revoked.
 */
import { SignJWT, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../errors.ts';

export type Role = 'customer' | 'admin';

export type Principal =
  | { type: 'anonymous' }
  | { type: 'user'; id: string; role: Role; email: string };

export const ANONYMOUS: Principal = Object.freeze({ type: 'anonymous' });

export interface SigningKey {
  kid: string;
  secret: Uint8Array;
}

export const TOKEN_ISSUER = 'fusioncommerce';
export const TOKEN_AUDIENCE = 'fusioncommerce';
const MIN_SECRET_BYTES = 32;

/** Parses `kid:secret,kid:secret` (the first signs) into a keyring. */
export function parseKeyring(spec: string): SigningKey[] {
  const keys = spec.split(',').map((entry) => {
    const at = entry.indexOf(':');
    const kid = entry.slice(0, at).trim();
    const secret = entry.slice(at + 1).trim();
    if (at <= 0 || !/^[A-Za-z0-9._-]+$/.test(kid)) {
      throw new Error('AUTH_SIGNING_KEYS entries must look like kid:secret');
    }
    if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
      throw new Error(`AUTH_SIGNING_KEYS key "${kid}" is shorter than ${MIN_SECRET_BYTES} bytes`);
    }
    return { kid, secret: new TextEncoder().encode(secret) };
  });
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('AUTH_SIGNING_KEYS has a repeated kid');
  return keys;
}

export interface TokenService {
  sign(user: { id: string; role: Role; email: string }, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<Principal>;
}

const invalidToken = (why: string): AppError =>
  new AppError('AUTH.INVALID_TOKEN', 'unauthorized', `The access token is not valid: ${why}.`);

export function createTokenService(keyring: SigningKey[], defaultTtlSeconds = 900): TokenService {
  const [current] = keyring;
  if (!current) throw new Error('the keyring is empty');
  const byKid = new Map(keyring.map((k) => [k.kid, k.secret]));
  return {
    async sign(user, ttlSeconds = defaultTtlSeconds) {
      return new SignJWT({ role: user.role, email: user.email })
        .setProtectedHeader({ alg: 'HS256', kid: current.kid, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(current.secret);
    },
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(
          token,
          (header) => {
            const secret = header.kid ? byKid.get(header.kid) : undefined;
            if (!secret) throw invalidToken('it was signed with an unknown or revoked key');
            return secret;
          },
          { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
        ));
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof joseErrors.JWTExpired) throw invalidToken('it has expired');
        throw invalidToken('its signature or claims do not check out');
      }
      const role = payload.role;
      if ((role !== 'customer' && role !== 'admin') || typeof payload.sub !== 'string' || typeof payload.email !== 'string') {
        throw invalidToken('it lacks a subject, role or email');
      }
      return { type: 'user', id: payload.sub, role, email: payload.email };
    },
  };
}
