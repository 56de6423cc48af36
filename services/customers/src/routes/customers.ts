/** /v1/customers/:customerId — a profile, its sessions and its address book, for the owner (or an admin). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { customerView, type CustomerView } from '../domain/account.ts';
import { CustomerSchema } from '../schemas/auth.ts';
import {
  AddressInputSchema,
  AddressListSchema,
  AddressParams,
  AddressPatchSchema,
  AddressSchema,
  CustomerParams,
  ProfilePatchSchema,
} from '../schemas/customers.ts';
import { toAccount, type AccountRow } from '../store/account-store.ts';
import type { CustomersDeps } from '../use-cases/deps.ts';
import { addAddress, getAddress, listAddresses, removeAddress, updateAddress } from '../use-cases/manage-addresses.ts';
import { getAccount, updateProfile } from '../use-cases/manage-profile.ts';
import { revokeAllSessions } from '../use-cases/sessions.ts';
import { ownerId } from './owner.ts';

export const view = (row: AccountRow): CustomerView => customerView(toAccount(row));

export const customerRoutes: FastifyPluginAsyncTypebox<{ deps: CustomersDeps }> = async (app, { deps }) => {
  const tags = ['customers'];
  const owner = { auth: 'customer' as const };

  app.get(
    '/v1/customers/:customerId',
    { config: owner, schema: { tags, summary: 'A profile (`me` for your own)', params: CustomerParams, response: { 200: CustomerSchema } } },
    async (request) => view(await getAccount(deps, ownerId(request, request.params.customerId))),
  );

  app.patch(
    '/v1/customers/:customerId',
    { config: owner, schema: { tags, summary: 'Edit a profile', params: CustomerParams, body: ProfilePatchSchema, response: { 200: CustomerSchema } } },
    async (request) => view(await updateProfile(deps, ownerId(request, request.params.customerId), request.body)),
  );

  app.delete(
    '/v1/customers/:customerId/sessions',
    { config: owner, schema: { tags, summary: 'Sign out everywhere: revoke every refresh token', params: CustomerParams } },
    async (request, reply) => {
      const id = ownerId(request, request.params.customerId);
      await revokeAllSessions(deps, id, request.principal.type === 'user' && request.principal.id === id ? 'sign_out_everywhere' : 'admin');
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/customers/:customerId/addresses',
    { config: owner, schema: { tags, summary: 'The address book', params: CustomerParams, response: { 200: AddressListSchema } } },
    async (request) => {
      const id = ownerId(request, request.params.customerId);
      await getAccount(deps, id);
      return { data: await listAddresses(deps, id), nextCursor: null };
    },
  );

  app.post(
    '/v1/customers/:customerId/addresses',
    { config: owner, schema: { tags, summary: 'Add an address', params: CustomerParams, body: AddressInputSchema, response: { 201: AddressSchema } } },
    async (request, reply) => {
      const id = ownerId(request, request.params.customerId);
      const address = await addAddress(deps, id, request.body);
      return reply.code(201).header('location', `/v1/customers/${id}/addresses/${address.id}`).send(address);
    },
  );

  app.get(
    '/v1/customers/:customerId/addresses/:addressId',
    { config: owner, schema: { tags, summary: 'One address', params: AddressParams, response: { 200: AddressSchema } } },
    async (request) => getAddress(deps, ownerId(request, request.params.customerId), request.params.addressId),
  );

  app.patch(
    '/v1/customers/:customerId/addresses/:addressId',
    { config: owner, schema: { tags, summary: 'Edit an address', params: AddressParams, body: AddressPatchSchema, response: { 200: AddressSchema } } },
    async (request) => updateAddress(deps, ownerId(request, request.params.customerId), request.params.addressId, request.body),
  );

  app.delete(
    '/v1/customers/:customerId/addresses/:addressId',
    { config: owner, schema: { tags, summary: 'Remove an address', params: AddressParams } },
    async (request, reply) => {
      await removeAddress(deps, ownerId(request, request.params.customerId), request.params.addressId);
      return reply.code(204).send();
    },
  );
};
