/** Group buying's API schemas: deals, groups and participations. */
import { Type, type Static } from 'typebox';
import { MAX_AMOUNT } from '@fusioncommerce/platform';
import { SHARE_CODE_PATTERN } from '../domain/share-code.ts';
import { MAX_GROUP_SIZE, MAX_TIERS } from '../domain/tiers.ts';

const strict = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 }));
const Cursor = Type.Optional(Type.String({ maxLength: 400 }));
const THIRTY_DAYS = 30 * 24 * 3600;

export const IdParams = Type.Object({ id: Uuid }, strict);
export const ShareCodeParams = Type.Object({ code: Type.String({ pattern: SHARE_CODE_PATTERN, description: 'The group’s share code' }) }, strict);

export const CreateDealSchema = Type.Object(
  {
    variantId: Uuid,
    tiers: Type.Array(
      Type.Object(
        {
          minParticipants: Type.Integer({ minimum: 1, maximum: MAX_GROUP_SIZE }),
          unitPrice: Type.Object({ amount: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT }), currency: Currency }, strict),
        },
        strict,
      ),
      { minItems: 1, maxItems: MAX_TIERS, description: 'Unit price from a number of members on; participants rising, prices falling.' },
    ),
    minGroupSize: Type.Integer({ minimum: 2, maximum: MAX_GROUP_SIZE, description: 'Members a group needs by its deadline to succeed.' }),
    maxGroupSize: Type.Optional(Nullable(Type.Integer({ minimum: 2, maximum: MAX_GROUP_SIZE, description: 'A group closes at once when this many are members.' }))),
    groupWindowSeconds: Type.Integer({ minimum: 1, maximum: THIRTY_DAYS, description: 'How long a group stays open after it is started (never past endsAt).' }),
    perCustomerLimit: Type.Integer({ minimum: 1, maximum: 99, description: 'Units one customer may hold across all groups of the deal.' }),
    startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now.' })),
    endsAt: Type.String({ format: 'date-time', description: 'No group starts after this, and every group settles by it.' }),
  },
  strict,
);
export type CreateDealBody = Static<typeof CreateDealSchema>;

const TierView = Type.Object({ minParticipants: Type.Integer(), unitPrice: Money });

export const DealSchema = Type.Object({
  id: Uuid,
  variantId: Uuid,
  productId: Uuid,
  sku: Type.String(),
  title: Type.String(),
  tiers: Type.Array(TierView),
  authorizedUnitPrice: Type.Object(
    { amount: Type.Integer(), currency: Type.String() },
    { description: 'What a member authorizes per unit: the price at minGroupSize, the most any successful group pays.' },
  ),
  minGroupSize: Type.Integer(),
  maxGroupSize: Nullable(Type.Integer()),
  groupWindowSeconds: Type.Integer(),
  perCustomerLimit: Type.Integer(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  status: Type.Enum(['active', 'archived']),
  state: Type.Enum(['scheduled', 'live', 'ended', 'archived']),
  groups: Type.Object({ open: Type.Integer(), succeeded: Type.Integer(), failed: Type.Integer() }),
  activeMembers: Type.Integer({ description: 'Members of the deal’s open groups right now' }),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const DealPageSchema = Type.Object({ data: Type.Array(DealSchema), nextCursor: Nullable(Type.String()) });

export const DealListQuery = Type.Object(
  {
    variantId: Type.Optional(Uuid),
    productId: Type.Optional(Uuid),
    state: Type.Optional(Type.Enum(['live', 'scheduled', 'ended', 'archived', 'any'], { description: 'Admins only; shoppers always see live deals.' })),
    limit: Limit,
    cursor: Cursor,
  },
  strict,
);

const GroupStatus = Type.Enum(['open', 'succeeded', 'failed']);

export const GroupSchema = Type.Object({
  id: Uuid,
  shareCode: Type.String(),
  shareUrl: Type.String(),
  dealId: Uuid,
  variantId: Uuid,
  productId: Uuid,
  title: Type.String(),
  status: GroupStatus,
  members: Type.Integer({ description: 'Stock held and payment authorized' }),
  seats: Type.Integer({ description: 'Members plus joins still waiting for stock and payment' }),
  seatsLeft: Nullable(Type.Integer()),
  minGroupSize: Type.Integer(),
  maxGroupSize: Nullable(Type.Integer()),
  membersNeeded: Type.Integer({ description: 'Members still needed to reach the minimum' }),
  tiers: Type.Array(TierView),
  currentUnitPrice: Nullable(Money),
  nextTier: Nullable(Type.Object({ minParticipants: Type.Integer(), unitPrice: Money, membersNeeded: Type.Integer() })),
  finalUnitPrice: Nullable(Money),
  deadlineAt: Type.String({ format: 'date-time' }),
  closeReason: Nullable(Type.String()),
  settledAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

export const GroupPageSchema = Type.Object({ data: Type.Array(GroupSchema), nextCursor: Nullable(Type.String()) });

export const GroupListQuery = Type.Object({ dealId: Type.Optional(Uuid), status: Type.Optional(GroupStatus), limit: Limit, cursor: Cursor }, strict);
export const DealGroupsQuery = Type.Object({ status: Type.Optional(GroupStatus), limit: Limit, cursor: Cursor }, strict);

const ParticipationStatus = Type.Enum(['pending', 'active', 'left', 'failed', 'confirmed', 'completed']);

export const ParticipationSchema = Type.Object({
  id: Uuid,
  groupId: Uuid,
  shareCode: Type.String(),
  groupStatus: GroupStatus,
  deadlineAt: Type.String({ format: 'date-time' }),
  dealId: Uuid,
  customerId: Type.String(),
  status: ParticipationStatus,
  quantity: Type.Integer(),
  stock: Type.String(),
  payment: Type.String(),
  paymentId: Nullable(Type.String()),
  authorizedUnitPrice: Money,
  authorizedAmount: Money,
  finalUnitPrice: Nullable(Money),
  finalAmount: Nullable(Money),
  orderId: Nullable(Type.String({ description: 'The order made for it, once the group succeeded and it was paid' })),
  reason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const ParticipationPageSchema = Type.Object({ data: Type.Array(ParticipationSchema), nextCursor: Nullable(Type.String()) });
export const ParticipationListQuery = Type.Object(
  { status: Type.Optional(ParticipationStatus), groupId: Type.Optional(Uuid), limit: Limit, cursor: Cursor },
  strict,
);

export const SeatResultSchema = Type.Object({ group: GroupSchema, participation: ParticipationSchema });

export const AddressSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
    phone: Type.Optional(Type.String({ pattern: '^[0-9 +()-]{5,30}$' })),
  },
  strict,
);

const SeatFields = {
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, default: 1 })),
  shippingAddress: AddressSchema,
  payment: Type.Object(
    {
      method: Type.String({
        minLength: 1,
        maxLength: 255,
        pattern: '^[A-Za-z0-9_ -]+$',
        description: 'A payment method token from the provider (pm_… with Stripe; a test card number such as 4242424242424242 with the test provider).',
      }),
    },
    strict,
  ),
};

export const StartGroupSchema = Type.Object({ dealId: Uuid, ...SeatFields }, strict);
export const JoinGroupSchema = Type.Object(SeatFields, strict);

export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 255, pattern: '^[A-Za-z0-9_.:-]+$' })) });
