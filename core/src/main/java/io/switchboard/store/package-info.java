/**
 * The store SPI: plain, account-scoped data access that the services run inside one
 * transaction. The logic (find-or-create, idempotency, monotone statuses, events) lives in
 * core; a store only reads and writes rows, enforces the unique constraints, and reports their
 * violations as {@link io.switchboard.store.StoreConflictException} so that core can retry.
 *
 * <p>Every method that reads or writes an account's data takes the account id and must filter
 * by it. The only unscoped look-ups are those by a credential or routing key that the outside
 * world presents (an inbox's routing key, a contact inbox's pubsub token) and the job queue.
 *
 * <p>The implementation shipped with Switchboard is {@code io.switchboard.jdbi.JdbiStore}.
 */
package io.switchboard.store;
