import type { Knex } from 'knex';

/**
 * A sold reservation can come back: an order cancelled after its stock was
 * committed puts the units back on the shelf, once, and the reservation
 * records that it did (`returned`), so a repeated request restocks nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table inventory.reservations add column returned_at timestamptz null');
  await knex.raw(
    `alter table inventory.reservations
       drop constraint reservations_status_check,
       add constraint reservations_status_check check (status in ('active', 'committed', 'released', 'returned'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  // Returned stock stays on the shelf; the reservation goes back to being a sale.
  await knex.raw(`update inventory.reservations set status = 'committed' where status = 'returned'`);
  await knex.raw(
    `alter table inventory.reservations
       drop constraint reservations_status_check,
       add constraint reservations_status_check check (status in ('active', 'committed', 'released'))`,
  );
  await knex.raw('alter table inventory.reservations drop column returned_at');
}
