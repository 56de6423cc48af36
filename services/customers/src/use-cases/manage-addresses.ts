/**
 * The address book. Every query names the owner, so an address of another
 * customer is simply not found. Writes lock the owner's account row, which
 * keeps the size limit and the single default per kind exact under concurrency.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { recordEvents } from '@fusioncommerce/platform';
import { MAX_ADDRESSES } from '../domain/account.ts';
import { CustomersError } from '../domain/errors.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import type { AddressInput, AddressPatch, AddressView } from '../schemas/customers.ts';
import type { AddressRow } from '../store/address-store.ts';
import type { CustomersDeps } from './deps.ts';

const iso = (value: Date | string): string => new Date(value).toISOString();

export function addressView(row: AddressRow): AddressView {
  return {
    id: row.id,
    label: row.label,
    name: row.name,
    company: row.company,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
    phone: row.phone,
    isDefaultShipping: row.is_default_shipping,
    isDefaultBilling: row.is_default_billing,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toColumns(input: AddressPatch): Partial<AddressRow> {
  const columns: Partial<AddressRow> = {};
  const map: [keyof AddressPatch, keyof AddressRow][] = [
    ['label', 'label'],
    ['name', 'name'],
    ['company', 'company'],
    ['line1', 'line1'],
    ['line2', 'line2'],
    ['city', 'city'],
    ['region', 'region'],
    ['postalCode', 'postal_code'],
    ['country', 'country'],
    ['phone', 'phone'],
    ['isDefaultShipping', 'is_default_shipping'],
    ['isDefaultBilling', 'is_default_billing'],
  ];
  for (const [field, column] of map) {
    if (input[field] !== undefined) (columns as Record<string, unknown>)[column] = input[field];
  }
  return columns;
}

async function lockOwner(deps: CustomersDeps, customerId: string, trx: Knex.Transaction): Promise<void> {
  if (!(await deps.accounts.findById(customerId, trx, true))) throw CustomersError.customerNotFound(customerId);
}

async function applyDefaults(deps: CustomersDeps, customerId: string, row: Partial<AddressRow>, id: string, trx: Knex.Transaction): Promise<void> {
  if (row.is_default_shipping) await deps.addresses.clearDefault(customerId, 'is_default_shipping', id, trx);
  if (row.is_default_billing) await deps.addresses.clearDefault(customerId, 'is_default_billing', id, trx);
}

export async function listAddresses(deps: CustomersDeps, customerId: string): Promise<AddressView[]> {
  return (await deps.addresses.list(customerId)).map(addressView);
}

export async function getAddress(deps: CustomersDeps, customerId: string, addressId: string): Promise<AddressView> {
  const row = await deps.addresses.find(customerId, addressId);
  if (!row) throw CustomersError.addressNotFound(addressId);
  return addressView(row);
}

export async function addAddress(deps: CustomersDeps, customerId: string, input: AddressInput): Promise<AddressView> {
  return deps.knex.transaction(async (trx) => {
    await lockOwner(deps, customerId, trx);
    if ((await deps.addresses.count(customerId, trx)) >= MAX_ADDRESSES) throw CustomersError.addressLimit(MAX_ADDRESSES);
    const id = uuidv7();
    const columns = toColumns(input);
    await applyDefaults(deps, customerId, columns, id, trx);
    const now = deps.now();
    const row = await deps.addresses.insert(
      {
        id,
        customer_id: customerId,
        label: null,
        company: null,
        line2: null,
        region: null,
        phone: null,
        is_default_shipping: false,
        is_default_billing: false,
        name: input.name,
        line1: input.line1,
        city: input.city,
        postal_code: input.postalCode,
        country: input.country,
        ...columns,
        created_at: now,
        updated_at: now,
      },
      trx,
    );
    await recordEvents(trx, CUSTOMERS_SCHEMA, [{ type: 'customers.address.added', subject: customerId, data: { customerId, addressId: id } }]);
    return addressView(row);
  });
}

export async function updateAddress(deps: CustomersDeps, customerId: string, addressId: string, patch: AddressPatch): Promise<AddressView> {
  return deps.knex.transaction(async (trx) => {
    await lockOwner(deps, customerId, trx);
    if (!(await deps.addresses.find(customerId, addressId, trx))) throw CustomersError.addressNotFound(addressId);
    const columns = toColumns(patch);
    await applyDefaults(deps, customerId, columns, addressId, trx);
    const row = await deps.addresses.update(customerId, addressId, { ...columns, updated_at: deps.now() }, trx);
    if (!row) throw CustomersError.addressNotFound(addressId);
    await recordEvents(trx, CUSTOMERS_SCHEMA, [{ type: 'customers.address.updated', subject: customerId, data: { customerId, addressId } }]);
    return addressView(row);
  });
}

export async function removeAddress(deps: CustomersDeps, customerId: string, addressId: string): Promise<void> {
  await deps.knex.transaction(async (trx) => {
    await lockOwner(deps, customerId, trx);
    if ((await deps.addresses.delete(customerId, addressId, trx)) !== 1) throw CustomersError.addressNotFound(addressId);
    await recordEvents(trx, CUSTOMERS_SCHEMA, [{ type: 'customers.address.removed', subject: customerId, data: { customerId, addressId } }]);
  });
}
