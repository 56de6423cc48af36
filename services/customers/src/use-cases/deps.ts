import type { Knex } from 'knex';
import type { TokenService } from '@fusioncommerce/platform';
import { AttemptLimiter, type CustomersLimits } from '../security/attempt-limiter.ts';
import type { PasswordHasher } from '../security/passwords.ts';
import { AccountStore } from '../store/account-store.ts';
import { AddressStore } from '../store/address-store.ts';
import { OneTimeTokenStore } from '../store/one-time-token-store.ts';
import { SessionStore } from '../store/session-store.ts';

export interface CustomersSettings {
  refreshTokenTtlSeconds: number;
  passwordResetTtlSeconds: number;
  emailVerificationTtlSeconds: number;
  invitationTtlSeconds: number;
  /** Unverified accounts cannot sign in (and then sign-up cannot be used to probe for emails either). */
  requireVerifiedEmail: boolean;
}

export const DEFAULT_SETTINGS: CustomersSettings = {
  refreshTokenTtlSeconds: 30 * 86_400,
  passwordResetTtlSeconds: 30 * 60,
  emailVerificationTtlSeconds: 2 * 86_400,
  invitationTtlSeconds: 7 * 86_400,
  requireVerifiedEmail: false,
};

/** What the customers use cases work with; built once per mounted service. */
export interface CustomersDeps {
  knex: Knex;
  accounts: AccountStore;
  sessions: SessionStore;
  oneTimeTokens: OneTimeTokenStore;
  addresses: AddressStore;
  passwords: PasswordHasher;
  tokens: TokenService;
  settings: CustomersSettings;
  limiters: {
    signIn: AttemptLimiter<'email' | 'ip'>;
    register: AttemptLimiter<'email' | 'ip'>;
    mailRequests: AttemptLimiter<'email' | 'ip'>;
    oneTimeToken: AttemptLimiter<'ip'>;
    passwordChange: AttemptLimiter<'account'>;
  };
  now: () => Date;
}

export function customersDeps(options: {
  knex: Knex;
  tokens: TokenService;
  passwords: PasswordHasher;
  settings: CustomersSettings;
  limits: CustomersLimits;
  now: () => Date;
}): CustomersDeps {
  const { knex, now, limits } = options;
  const clock = () => now().getTime();
  return {
    knex,
    accounts: new AccountStore(knex),
    sessions: new SessionStore(knex),
    oneTimeTokens: new OneTimeTokenStore(knex),
    addresses: new AddressStore(knex),
    passwords: options.passwords,
    tokens: options.tokens,
    settings: options.settings,
    limiters: {
      signIn: new AttemptLimiter(limits.signIn, clock),
      register: new AttemptLimiter(limits.register, clock),
      mailRequests: new AttemptLimiter(limits.mailRequests, clock),
      oneTimeToken: new AttemptLimiter(limits.oneTimeToken, clock),
      passwordChange: new AttemptLimiter(limits.passwordChange, clock),
    },
    now,
  };
}

export const addSeconds = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);
