/**
 * Shipping options: create, edit, archive (each with its `shipping.option.changed`
 * event in the same transaction, so orders' replica follows), and quotes for a
 * destination, cheapest first.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import {
  ShippingOptionChanged,
  quoteShippingOptions,
  type EventData,
  type ShippingDestination,
  type ShippingParcel,
  type ShippingRules,
} from '@fusioncommerce/contracts';
import { recordEvents, type ExpectedVersion } from '@fusioncommerce/platform';
import { ShippingError } from '../domain/errors.ts';
import { assertCoherent, type EstimatedDays, type OptionState } from '../domain/option.ts';
import { SHIPPING_SCHEMA } from '../migrations.ts';
import type { CreateOptionBody } from '../schemas/shipping.ts';
import { optionView, type OptionView } from '../store/option-store.ts';
import type { ShippingDeps } from './deps.ts';

export type OptionPatch = Partial<CreateOptionBody>;

export interface QuoteView {
  optionId: string;
  name: string;
  description: string | null;
  carrier: string;
  estimatedDays: EstimatedDays | null;
  amount: { amount: number; currency: string };
  free: boolean;
}

function changed(state: OptionState) {
  return {
    type: ShippingOptionChanged.type,
    subject: state.id,
    data: {
      option: {
        id: state.id,
        name: state.name,
        description: state.description,
        carrier: state.carrier,
        estimatedDays: state.estimatedDays,
        rules: state.rules,
        status: state.status,
        version: state.version,
      },
    } satisfies EventData<typeof ShippingOptionChanged>,
  };
}

/** Saves a new option and tells the others, inside `trx`. */
export async function insertOption(deps: ShippingDeps, trx: Knex.Transaction, state: OptionState): Promise<void> {
  await deps.options.insert(state, trx);
  await recordEvents(trx, SHIPPING_SCHEMA, [changed(state)]);
}

function assertCarrier(deps: ShippingDeps, code: string): void {
  if (!deps.carriers.get(code)) throw ShippingError.unknownCarrier(code, deps.carriers.codes());
}

function rulesOf(input: CreateOptionBody): ShippingRules {
  const countries = input.countries.map((c) => c.toUpperCase());
  return { currency: input.currency, countries, rate: input.rate, freeAbove: input.freeAbove ?? null, minSubtotal: input.minSubtotal ?? null };
}

export async function createOption(deps: ShippingDeps, input: CreateOptionBody): Promise<OptionView> {
  const rules = rulesOf(input);
  const estimatedDays = input.estimatedDays ?? null;
  assertCoherent(rules, estimatedDays);
  const carrier = input.carrier ?? 'manual';
  assertCarrier(deps, carrier);
  const now = deps.now();
  const state: OptionState = {
    id: uuidv7(),
    name: input.name,
    description: input.description ?? null,
    carrier,
    estimatedDays,
    rules,
    status: 'active',
    version: 1,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
  };
  await deps.knex.transaction((trx) => insertOption(deps, trx, state));
  return optionView(state);
}

export async function getOption(deps: ShippingDeps, id: string): Promise<OptionView> {
  const state = await deps.options.get(id);
  if (!state) throw ShippingError.optionNotFound(id);
  return optionView(state);
}

async function change(deps: ShippingDeps, id: string, expected: ExpectedVersion, apply: (state: OptionState, now: Date) => boolean): Promise<OptionView> {
  return deps.knex.transaction(async (trx) => {
    const state = await deps.options.get(id, trx, true);
    if (!state) throw ShippingError.optionNotFound(id);
    if (state.version !== expected.version) {
      throw expected.via === 'if-match' ? ShippingError.preconditionFailed(state.version) : ShippingError.versionMismatch(state.version);
    }
    const now = deps.now();
    if (!apply(state, now)) return optionView(state);
    state.version += 1;
    state.updatedAt = now;
    await deps.options.update(state, trx);
    await recordEvents(trx, SHIPPING_SCHEMA, [changed(state)]);
    return optionView(state);
  });
}

export async function updateOption(deps: ShippingDeps, id: string, expected: ExpectedVersion, patch: OptionPatch): Promise<OptionView> {
  if (patch.carrier !== undefined) assertCarrier(deps, patch.carrier);
  return change(deps, id, expected, (state) => {
    if (state.status === 'archived') throw ShippingError.optionArchived(id);
    const rules = rulesOf({
      name: state.name,
      currency: patch.currency ?? state.rules.currency,
      countries: patch.countries ?? state.rules.countries,
      rate: patch.rate ?? state.rules.rate,
      freeAbove: patch.freeAbove === undefined ? state.rules.freeAbove : patch.freeAbove,
      minSubtotal: patch.minSubtotal === undefined ? state.rules.minSubtotal : patch.minSubtotal,
    });
    const estimatedDays = patch.estimatedDays === undefined ? state.estimatedDays : patch.estimatedDays;
    assertCoherent(rules, estimatedDays);
    state.rules = rules;
    state.estimatedDays = estimatedDays;
    if (patch.name !== undefined) state.name = patch.name;
    if (patch.description !== undefined) state.description = patch.description;
    if (patch.carrier !== undefined) state.carrier = patch.carrier;
    return true;
  });
}

/** Stops offering an option; carts that chose it fall back to another. Archiving twice changes nothing. */
export async function archiveOption(deps: ShippingDeps, id: string, expected: ExpectedVersion): Promise<OptionView> {
  return change(deps, id, expected, (state, now) => {
    if (state.status === 'archived') return false;
    state.status = 'archived';
    state.archivedAt = now;
    return true;
  });
}

/** The active options that ship this parcel to this destination, priced, cheapest first. */
export async function quoteOptions(deps: ShippingDeps, destination: ShippingDestination, parcel: ShippingParcel): Promise<QuoteView[]> {
  const quotes = quoteShippingOptions(await deps.options.active(), destination, parcel);
  return quotes.map((q) => ({
    optionId: q.id,
    name: q.name,
    description: q.description,
    carrier: q.carrier,
    estimatedDays: q.estimatedDays,
    amount: { amount: q.amount, currency: parcel.currency },
    free: q.free,
  }));
}
