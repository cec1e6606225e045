// Frozen: imports nothing from the application.
import { type Kysely, sql } from 'kysely';

/**
 * One queue engine: message delivery becomes a kind of job (`message.deliver`,
 * one job per message, keyed `message:<message key>`, subject the message's
 * id) instead of a second engine of leases and retries on the outbox rows.
 * Messages still to send, or mid-send, get a queued job carrying their
 * attempts and next attempt; messages that gave up get a dead one, so the one
 * dead list shows them. The outbox's own claim index goes: nothing claims
 * from the outbox any more.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    insert into jobs (id, kind, key, subject, state, run_at, attempts, max_attempts, leased_until, leased_by, last_error, created_at, updated_at)
    select 'job_' || n.id, 'message.deliver', 'message:' || n.key, n.id,
           case when n.state = 'failed' then 'failed' else 'queued' end,
           coalesce(n.next_attempt_at, n.created_at), n.attempts, 8, n.leased_until, n.leased_by, n.last_error, n.created_at,
           coalesce(n.failed_at, n.next_attempt_at, n.created_at)
    from notifications n
    where n.state in ('queued', 'sending', 'failed')
  `.execute(db);
  await db.updateTable('notifications').set({ state: 'queued' }).where('state', '=', 'sending').execute();
  await db.schema.dropIndex('notifications_pending').execute();
  // The dead list, newest first, without reading the history of finished jobs.
  await db.schema.createIndex('jobs_dead').on('jobs').column('updated_at').where(sql.ref('state'), '=', sql.lit('failed')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_dead').execute();
  await db.schema
    .createIndex('notifications_pending')
    .on('notifications')
    .columns(['state', 'created_at'])
    .where(sql.ref('state'), 'in', [sql.lit('queued'), sql.lit('sending')])
    .execute();
  await db.deleteFrom('jobs').where('kind', '=', 'message.deliver').execute();
}
