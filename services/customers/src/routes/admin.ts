/** Admin-only: list accounts, invite people, promote and demote. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { normalizeEmail } from '../domain/account.ts';
import { CustomerSchema } from '../schemas/auth.ts';
import { CustomerListQuery, CustomerPageSchema, CustomerParams, InvitationSchema, InvitationViewSchema, RoleChangeSchema } from '../schemas/customers.ts';
import { changeRole } from '../use-cases/change-role.ts';
import type { CustomersDeps } from '../use-cases/deps.ts';
import { inviteAccount } from '../use-cases/invitations.ts';
import { view } from './customers.ts';
import { ownerId, principalId } from './owner.ts';

export const adminRoutes: FastifyPluginAsyncTypebox<{ deps: CustomersDeps }> = async (app, { deps }) => {
  const tags = ['customers', 'admin'];
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/customers',
    { config: admin, schema: { tags, summary: 'List accounts', querystring: CustomerListQuery, response: { 200: CustomerPageSchema } } },
    async (request) => {
      const { limit = 20, cursor, role, email } = request.query;
      const page = await deps.accounts.list({ limit, cursor, role, email: email === undefined ? undefined : normalizeEmail(email) });
      return { data: page.data.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/customers/invitations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Invite someone by email, as a customer or an admin',
        description: 'The invitation link is mailed by the notifications side from the customers.invitation.created event.',
        body: InvitationSchema,
        response: { 201: InvitationViewSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await inviteAccount(deps, { email: request.body.email, role: request.body.role ?? 'customer', invitedBy: principalId(request) })),
  );

  app.post(
    '/v1/customers/:customerId/role',
    { config: admin, schema: { tags, summary: 'Promote or demote an account', params: CustomerParams, body: RoleChangeSchema, response: { 200: CustomerSchema } } },
    async (request) => {
      const customerId = ownerId(request, request.params.customerId);
      return view(await changeRole(deps, { customerId, role: request.body.role, changedBy: principalId(request) }));
    },
  );
};
