/**
 * Events the group-commerce service publishes: group buying's saga. A
 * participation's events carry the participation id as subject, so inventory
 * and payments see "joined", "payment requested", "left/failed" and
 * "confirmed" of one participation in the order they were decided. Inventory
 * reserves on `joined`, commits on `confirmed`, releases on `left`/`failed`;
 * payments authorizes on `payment.requested`, captures exactly `amount` on
 * `confirmed`, voids on `left`/`failed`; orders creates the (already paid)
 * order on `completed`. Group events carry the group id as subject.
 */
import { Type } from 'typebox';
import { defineEvent } from './registry.ts';

const Money = Type.Object({ amount: Type.Integer({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) });
const Quantity = Type.Integer({ minimum: 1 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Tier = Type.Object({ minParticipants: Type.Integer({ minimum: 1 }), unitPrice: Money });

const ParticipationFacts = {
  participationId: Type.String(),
  groupId: Type.String(),
  dealId: Type.String(),
  customerId: Type.String(),
  email: Type.String(),
};

export const GroupStarted = defineEvent(
  'group-commerce.group.started',
  'A shopper started a group on a deal; others join it with its share code until its deadline.',
  Type.Object({
    groupId: Type.String(),
    dealId: Type.String(),
    shareCode: Type.String(),
    variantId: Type.String(),
    sku: Type.String(),
    minGroupSize: Type.Integer({ minimum: 1 }),
    maxGroupSize: Nullable(Type.Integer({ minimum: 1 })),
    tiers: Type.Array(Tier, { minItems: 1 }),
    deadlineAt: Type.String({ format: 'date-time' }),
    startedBy: Type.String(),
  }),
);

export const ParticipationJoined = defineEvent(
  'group-commerce.participation.joined',
  'A shopper took a seat in a group: hold `quantity` of `sku` for `group_participation:<participationId>` until `holdUntil`.',
  Type.Object({
    ...ParticipationFacts,
    variantId: Type.String(),
    sku: Type.String({ minLength: 1 }),
    quantity: Quantity,
    unitPrice: Money,
    authorizedAmount: Money,
    holdUntil: Type.String({ format: 'date-time' }),
  }),
);

export const GroupPaymentRequested = defineEvent(
  'group-commerce.payment.requested',
  'Stock is held for a participation; authorize `amount` (the most the shopper can be charged) on the given payment method.',
  Type.Object({
    participationId: Type.String(),
    groupId: Type.String(),
    amount: Money,
    paymentMethod: Type.String({ minLength: 1, description: 'A provider token (or a test card number with the test provider).' }),
    email: Type.String(),
  }),
);

export const ParticipationActivated = defineEvent(
  'group-commerce.participation.activated',
  'Stock held and payment authorized: the shopper is a member of the group, counted for its tier.',
  Type.Object({ ...ParticipationFacts, paymentId: Type.String(), members: Type.Integer({ minimum: 1 }) }),
);

const Release = {
  releaseStock: Type.Boolean({ description: 'Inventory holds (or is about to hold) stock for it: release it.' }),
  voidPayment: Type.Boolean({ description: 'Payments holds (or is about to hold) an authorization for it: void it.' }),
  paymentId: Nullable(Type.String()),
};

export const ParticipationLeft = defineEvent(
  'group-commerce.participation.left',
  'The shopper left the group before its deadline: let go of its stock and payment.',
  Type.Object({ ...ParticipationFacts, ...Release }),
);

export const ParticipationFailed = defineEvent(
  'group-commerce.participation.failed',
  'A participation ended without a sale (`reason`): let go of its stock and payment, and tell the shopper.',
  Type.Object({
    ...ParticipationFacts,
    ...Release,
    reason: Type.Enum(['out_of_stock', 'payment_declined', 'group_failed', 'group_closed', 'reservation_expired']),
  }),
);

export const ParticipationConfirmed = defineEvent(
  'group-commerce.participation.confirmed',
  'The group succeeded: commit the stock and capture exactly `amount` (the final tier price × quantity, never more than authorized).',
  Type.Object({
    ...ParticipationFacts,
    paymentId: Type.String(),
    variantId: Type.String(),
    sku: Type.String({ minLength: 1 }),
    quantity: Quantity,
    unitPrice: Money,
    amount: Money,
    authorizedAmount: Money,
  }),
);

export const ParticipationCompleted = defineEvent(
  'group-commerce.participation.completed',
  'The participation is paid (captured) and its stock sold (committed): orders records it as the order `orderId`, already confirmed and paid.',
  Type.Object({
    ...ParticipationFacts,
    orderId: Type.String({ format: 'uuid' }),
    paymentId: Type.String(),
    variantId: Type.String(),
    productId: Type.String(),
    sku: Type.String({ minLength: 1 }),
    title: Type.String(),
    quantity: Quantity,
    unitPrice: Money,
    amount: Money,
    shippingAddress: Type.Record(Type.String(), Type.String()),
  }),
);

export const GroupClosed = defineEvent(
  'group-commerce.group.closed',
  'The group takes no more members: it is full, or its deadline passed. Its outcome follows in the same transaction.',
  Type.Object({ groupId: Type.String(), dealId: Type.String(), reason: Type.Enum(['full', 'deadline']), members: Type.Integer({ minimum: 0 }) }),
);

const Member = Type.Object({ participationId: Type.String(), customerId: Type.String(), email: Type.String(), quantity: Quantity });

export const GroupSucceeded = defineEvent(
  'group-commerce.group.succeeded',
  'The group reached its minimum: every member is charged the final tier price and gets an order.',
  Type.Object({
    groupId: Type.String(),
    dealId: Type.String(),
    shareCode: Type.String(),
    members: Type.Array(Member, { minItems: 1 }),
    finalUnitPrice: Money,
  }),
);

export const GroupFailed = defineEvent(
  'group-commerce.group.failed',
  'The deadline passed below the minimum: authorizations are voided, stock released; `members` are the shoppers to tell.',
  Type.Object({
    groupId: Type.String(),
    dealId: Type.String(),
    shareCode: Type.String(),
    reason: Type.Enum(['not_enough_participants']),
    minGroupSize: Type.Integer({ minimum: 1 }),
    members: Type.Array(Member),
  }),
);
