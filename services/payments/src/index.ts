export { paymentsService, createPaymentsService, type PaymentsServiceOptions } from './service.ts';
export { loadPaymentsConfig, PaymentsConfigSchema, type PaymentsConfig } from './config.ts';
export type { PaymentProvider, ProviderName } from './providers/provider.ts';
