/** How many SQL statements a process sends: the figure that bounds most request costs here. */
import type { Knex } from 'knex';
import { Counter, type Registry } from 'prom-client';

/** `db_queries_total` in `registry`: every statement sent through `knex`, transaction control (BEGIN, COMMIT, savepoints) included. */
export function countQueries(knex: Knex, registry: Registry): void {
  const queries = new Counter({ name: 'db_queries_total', help: 'SQL statements sent to the database, transaction control included', registers: [registry] });
  knex.on('query', () => queries.inc());
}
