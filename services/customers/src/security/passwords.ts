/**
 * Password hashing with argon2id (@node-rs/argon2, prebuilt binaries; its
 * default algorithm). The defaults are OWASP's: 19 MiB, 2 passes, 1 lane.
 * Hashing runs on libuv's thread pool, so it never blocks the event loop.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export interface PasswordHashingCost {
  /** KiB of memory per hash. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const DEFAULT_HASHING_COST: PasswordHashingCost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(private readonly cost: PasswordHashingCost = DEFAULT_HASHING_COST) {}

  hash(password: string): Promise<string> {
    return hash(password, this.cost);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the time a real check would, for an email without an account, so
   * the response time does not tell which emails exist.
   */
  async verifyNobody(password: string): Promise<false> {
    this.dummy ??= hash(randomBytes(16).toString('hex'), this.cost);
    await this.verify(await this.dummy, password);
    return false;
  }
}
