/**
 * Operator endpoints for the events of this process (every service the
 * gateway mounts, or the one service running alone): recent events from the
 * outboxes, dead letters, and replaying one. Admin only. Mount once per app.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DEFAULT_EVENT_LIST_LIMIT } from './event-queries.ts';
import type { EventRuntime } from './event-runtime.ts';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));
const Cursor = Type.Optional(Type.String({ maxLength: 400 }));
const EventType = Type.String({ pattern: '^[a-z][a-z-]*\\.[a-z][a-z_]*\\.[a-z][a-z_]*$', maxLength: 200 });
const Name = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,62}$' });

export const EventViewSchema = Type.Object(
  {
    id: Type.String(),
    service: Type.String(),
    type: Type.String(),
    source: Type.String(),
    subject: Type.String(),
    time: Type.String({ format: 'date-time' }),
    data: Type.Unknown(),
    publishedAt: Nullable(Type.String({ format: 'date-time' })),
    attempts: Type.Integer({ description: 'Publish attempts, the successful one included' }),
    lastError: Nullable(Type.String({ description: 'Why the last publish attempt failed' })),
  },
);

export const DeadLetterSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    consumerGroup: Type.String(),
    eventId: Type.String(),
    type: Type.String(),
    subject: Type.String(),
    event: Type.Unknown({ description: 'The CloudEvent as the consumer received it' }),
    error: Type.String({ description: 'Why the last attempt failed' }),
    attempts: Type.Integer({ description: 'Attempts before it was parked; 0 when it broke its contract' }),
    status: Type.Enum(['dead', 'replayed']),
    failedAt: Type.String({ format: 'date-time' }),
    replayedAt: Nullable(Type.String({ format: 'date-time' })),
    replayAttempts: Type.Integer(),
    lastReplayError: Nullable(Type.String()),
  },
);

const EventListQuerySchema = Type.Object(
  {
    service: Type.Optional(Name),
    status: Type.Optional(Type.Enum(['pending', 'published', 'any'], { default: 'any' })),
    type: Type.Optional(EventType),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Limit,
    cursor: Cursor,
  },
  strict,
);

const DeadLetterListQuerySchema = Type.Object(
  {
    consumer: Type.Optional(Name),
    status: Type.Optional(Type.Enum(['dead', 'replayed', 'any'], { default: 'dead' })),
    type: Type.Optional(EventType),
    limit: Limit,
    cursor: Cursor,
  },
  strict,
);

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, strict);

export const eventAdminRoutes: FastifyPluginAsyncTypebox<{ events: EventRuntime }> = async (app, { events }) => {
  const config = { auth: 'admin' as const };
  const tags = ['events'];

  app.get(
    '/v1/admin/events',
    {
      config,
      schema: {
        tags,
        summary: 'Recent events from the outboxes, newest first',
        description: '`status=pending` shows what the relay has not published yet; `lastError` says why.',
        querystring: EventListQuerySchema,
        response: { 200: Type.Object({ data: Type.Array(EventViewSchema), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => events.listEvents({ ...request.query, limit: request.query.limit ?? DEFAULT_EVENT_LIST_LIMIT }),
  );

  app.get(
    '/v1/admin/dead-letters',
    {
      config,
      schema: {
        tags,
        summary: 'Events consumers gave up on, newest first',
        querystring: DeadLetterListQuerySchema,
        response: { 200: Type.Object({ data: Type.Array(DeadLetterSchema), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => events.listDeadLetters({ ...request.query, limit: request.query.limit ?? DEFAULT_EVENT_LIST_LIMIT }),
  );

  app.get(
    '/v1/admin/dead-letters/:id',
    { config, schema: { tags, summary: 'One dead letter with its event and error', params: IdParams, response: { 200: DeadLetterSchema } } },
    async (request) => events.deadLetter(request.params.id),
  );

  app.post(
    '/v1/admin/dead-letters/:id/replay',
    {
      config,
      schema: {
        tags,
        summary: 'Run the consumer on a dead letter again, now',
        description: 'Succeeds once: the letter becomes `replayed` together with the handler’s effects. If the handler fails again, 409 with the reason, and the letter stays dead.',
        params: IdParams,
        response: { 200: DeadLetterSchema },
      },
    },
    async (request) => events.replay(request.params.id),
  );
};
