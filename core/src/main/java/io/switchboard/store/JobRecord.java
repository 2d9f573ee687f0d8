package io.switchboard.store;

import java.time.Instant;

/**
 * A durable unit of background work: deliver an event to an async listener, send a message,
 * process a stored webhook.
 *
 * <p>A job is due when {@code runAt} has passed. A worker claims it by moving {@code runAt}
 * forward to the end of its lease (compare-and-set on the old value), so a worker that dies
 * loses its claim when the lease runs out and another worker takes the job again.
 *
 * @param id the job id (0 before insertion)
 * @param kind what to do, for example {@code event} or {@code send}
 * @param target the listener name or other sub-key, may be null
 * @param accountId the account concerned, may be null
 * @param payload the work's parameters (JSON)
 * @param attempts how many times the job was claimed
 * @param runAt when it is due
 * @param lastError the last failure, without secrets, or null
 * @param dead true when the retry policy gave up
 * @param createdAt when it was queued
 */
public record JobRecord(long id, String kind, String target, Long accountId, String payload,
    int attempts, Instant runAt, String lastError, boolean dead, Instant createdAt) {}
