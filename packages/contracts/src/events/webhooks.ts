/**
 * Events of the outbound webhooks service. `delivery.failed` tells operators'
 * tools that a subscriber stopped answering (subject: the subscription id);
 * `test.sent` is never published: it is the type of the sample event an admin
 * sends to one subscription, described here so receivers know its shape.
 */
import { Type } from 'typebox';
import { defineEvent } from './registry.ts';

export const WebhookDeliveryFailed = defineEvent(
  'webhooks.delivery.failed',
  'A delivery gave up after its last attempt; it stays `failed` until an admin replays it. Deliveries of webhooks.* events never raise this (no loops).',
  Type.Object({
    deliveryId: Type.String(),
    subscriptionId: Type.String(),
    eventId: Type.String(),
    eventType: Type.String(),
    attempts: Type.Integer({ minimum: 1 }),
    lastResponseStatus: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const WebhookTestSent = defineEvent(
  'webhooks.test.sent',
  'A sample event an admin sent to one subscription to check the receiver (signature, reachability); nothing happened in the shop.',
  Type.Object({ subscriptionId: Type.String(), message: Type.String() }),
);
