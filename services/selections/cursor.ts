/**
 * Reading a selection through a PostgreSQL cursor, one batch at a time (the export of 100,000
 * persons never holds them all): one pooled connection, a read-only transaction, `DECLARE ...
 * CURSOR` over the selection statement (values as parameters), `FETCH n` per batch. The next
 * batch is fetched only when the consumer asks for it; leaving early (a client gone, an error)
 * rolls back, which closes the cursor, and gives the connection back.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

interface RawConnection {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** knex-style `?` placeholders to pg's `$n` (the selection SQL holds no literal question marks). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The name of the cursor: `pg_cursors` and `pg_stat_activity` show it while an export runs. */
export const EXPORT_CURSOR = 'selection_export';

export async function* cursorBatches<R>(em: EntityManager, statement: { sql: string; params: unknown[] }, batchSize: number): AsyncGenerator<R[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size ${batchSize}`);
  // The knex client's own pool: the connection goes back to it, like any the ORM uses.
  const client = em.getConnection().getKnex().client as { acquireConnection(): Promise<RawConnection>; releaseConnection(c: RawConnection): Promise<void> };
  const conn = await client.acquireConnection();
  let open = false;
  try {
    await conn.query('begin transaction isolation level repeatable read read only');
    open = true;
    await conn.query(`declare ${EXPORT_CURSOR} no scroll cursor for ${toPgPlaceholders(statement.sql)}`, statement.params);
    for (;;) {
      const { rows } = await conn.query<R>(`fetch forward ${batchSize} from ${EXPORT_CURSOR}`);
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) break;
    }
    await conn.query('commit');
    open = false;
  } finally {
    if (open) await conn.query('rollback').catch(() => undefined);
    await client.releaseConnection(conn);
  }
}
