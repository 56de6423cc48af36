/**
 * Access tokens: short-lived JWTs (HS256, jose) that every service verifies
 * locally against a keyring — no call to the customers service. The first key
 * signs; the others still verify until removed, which is how keys rotate and
 * how a compromised key is revoked.
 */
import { randomBytes } from 'node:crypto';
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
  /** Lifetime of a token signed without an explicit TTL. */
  readonly ttlSeconds: number;
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
    ttlSeconds: defaultTtlSeconds,
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

/*
 * Rotation. A deployment moves through three keyrings:
 *   1. `new:…,old:…`  — new tokens are signed with `new`; tokens signed with
 *      `old` keep working until they expire (one access-token TTL);
 *   2. `new:…`        — `old` is gone: anything it signed is refused.
 * Removing a key early is how a leaked key is revoked (everyone signs in again).
 */

/** A fresh `kid:secret` entry: 32 random bytes, base64url; the kid defaults to today's date. */
export function generateSigningKey(kid = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
  if (!/^[A-Za-z0-9._-]+$/.test(kid)) throw new Error('a kid is letters, digits, dot, underscore or dash');
  return `${kid}:${randomBytes(32).toString('base64url')}`;
}

/** The kids of a keyring spec, signing key first (safe to log: no secrets). */
export function keyIds(spec: string): string[] {
  return parseKeyring(spec).map((k) => k.kid);
}

/**
 * Step 1 of a rotation: `newKey` signs from now on, the current signing key
 * (and up to `keepPrevious - 1` older ones) still verify.
 */
export function rotateKeyring(spec: string, newKey: string = generateSigningKey(), keepPrevious = 1): string {
  const [added] = parseKeyring(newKey);
  const current = spec.split(',').map((e) => e.trim());
  if (!added) throw new Error('no key to add');
  if (keyIds(spec).includes(added.kid)) throw new Error(`kid "${added.kid}" is already in the keyring; pick another`);
  const next = [newKey.trim(), ...current.slice(0, Math.max(0, keepPrevious))].join(',');
  parseKeyring(next);
  return next;
}

/** Step 2 of a rotation, or an emergency revocation: drops `kid`; the signing key cannot be dropped. */
export function removeSigningKey(spec: string, kid: string): string {
  const entries = spec.split(',').map((e) => e.trim());
  const ids = keyIds(spec);
  const at = ids.indexOf(kid);
  if (at < 0) throw new Error(`kid "${kid}" is not in the keyring`);
  if (at === 0) throw new Error(`kid "${kid}" signs new tokens; rotate to a new key first`);
  return entries.filter((_, i) => i !== at).join(',');
}
