export { customersService, createCustomersService, type CustomersServiceOptions } from './service.ts';
export { DEFAULT_LIMITS, type CustomersLimits, type LimitPolicy } from './security/attempt-limiter.ts';
