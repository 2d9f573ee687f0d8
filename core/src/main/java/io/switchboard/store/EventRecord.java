package io.switchboard.store;

import java.time.Instant;

/**
 * A row of the event log, the events as the store keeps them.
 *
 * @param sequence the log position, assigned by the store (0 before insertion)
 * @param id the event's random id
 * @param accountId the account
 * @param type the dotted event name
 * @param inboxId the inbox, or null
 * @param conversationId the conversation, or null
 * @param payload the serialised event
 * @param createdAt when it was written
 */
public record EventRecord(long sequence, String id, long accountId, String type, Long inboxId,
    Long conversationId, String payload, Instant createdAt) {}
