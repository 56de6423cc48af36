export { webhooksService, createWebhooksService, type WebhooksServiceOptions } from './service.ts';
export type { WebhooksSettings } from './config.ts';
export { verifySignature } from './domain/signature.ts';
